"""Brings reports and dashboards to the content a revert or a restore chose for them, through
the repositories' ordinary writes: one entity after another would leave a dashboard pointing at
a report not yet back, so new reports come first, then what shows them, then what goes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from application.ports.unit_of_work import WritingUnitOfWork
from application.removal import remove_entities
from domain.dashboard import Dashboard
from domain.history import EntityKey, Origin, Touch
from domain.import_plan import Action, ImportedItem
from domain.report import Report
from domain.revert import Restoration, fitted_to


def restore_entities(
    uow: WritingUnitOfWork,
    restorations: Sequence[Restoration],
    deleted_origins: Mapping[EntityKey, Origin],
    reports: Mapping[str, Report],
) -> list[Touch]:
    """Brings each entity to its restoration and answers what changed: reports first (new
    ones before the combined reports and dashboards that show them), then dashboards, then what
    goes, as `DELETE` deletes it. `reports` are the restorations' reports as they are now, as
    `uow.reports.lock` answered them: held already."""
    dashboards = uow.dashboards.get_many(_ids(restorations, "dashboard"))
    stored: list[Report | Dashboard] = [*reports.values(), *dashboards.values()]
    current = {EntityKey.of(e): e for e in stored}
    gone = [r.key for r in restorations if r.entity is None and r.key in current]
    gone_reports = frozenset(k.id for k in gone if k.entity_type == "report")
    existing = _reports_after(uow, restorations, gone_reports)
    touches: list[Touch] = []
    for kind in ("report", "dashboard"):
        new: list[tuple[Report | Dashboard, Origin | None]] = []
        changed: list[Report | Dashboard] = []
        for r in restorations:
            if r.entity is None or r.key.entity_type != kind:
                continue
            fitted = fitted_to(r.entity, existing)
            now = current.get(r.key)
            if now is None:
                origin = r.origin or deleted_origins.get(r.key)
                new.append((fitted, origin))
                touches.append(Touch(None, fitted, origin))
            elif now != fitted:
                changed.append(fitted)
                touches.append(Touch(now, fitted))
        _add(uow, new)
        _update(uow, changed)
    gone_dashboards = [k.id for k in gone if k.entity_type == "dashboard"]
    if gone:
        touches += remove_entities(uow, {i: reports[i] for i in gone_reports}, gone_dashboards)
    return touches


def _ids(restorations: Sequence[Restoration], kind: str) -> frozenset[str]:
    return frozenset(r.key.id for r in restorations if r.key.entity_type == kind)


def _reports_after(
    uow: WritingUnitOfWork, restorations: Sequence[Restoration], gone: frozenset[str]
) -> frozenset[str]:
    """The reports that the restored entities name and that exist once the revert is done."""
    named: set[str] = set()
    for r in restorations:
        if isinstance(r.entity, Report):
            named.update(r.entity.child_ids)
        elif isinstance(r.entity, Dashboard):
            named.update(r.entity.report_ids())
    restored = frozenset(
        r.key.id for r in restorations if r.entity is not None and r.key.entity_type == "report"
    )
    stored = frozenset(uow.reports.get_many(frozenset(named) - restored))
    return (stored | restored) - gone


def _update(uow: WritingUnitOfWork, changed: Sequence[Report | Dashboard]) -> None:
    uow.reports.update_all([e for e in changed if isinstance(e, Report)])
    uow.dashboards.update_all([e for e in changed if isinstance(e, Dashboard)])


def _add(uow: WritingUnitOfWork, new: Sequence[tuple[Report | Dashboard, Origin | None]]) -> None:
    """Stores restored entities under their IDs, each with its origin, which it takes over from
    any copy that holds it now (the newest copy holds an origin)."""
    by_label: dict[tuple[str | None, str], list[tuple[Report | Dashboard, str | None]]] = (
        defaultdict(list)
    )
    for entity, origin in new:
        label = origin.label if origin is not None and entity.collection_id else ""
        source = origin.source_id if origin is not None and entity.collection_id else None
        by_label[(entity.collection_id, label)].append((entity, source))
    for (collection_id, label), group in by_label.items():
        sources = {e.id: s for e, s in group if s is not None}
        if collection_id is not None and sources:
            reports = [s for e, s in group if s is not None and isinstance(e, Report)]
            dashboards = [s for e, s in group if s is not None and isinstance(e, Dashboard)]
            uow.reports.release_origins(collection_id, label, reports)
            uow.dashboards.release_origins(collection_id, label, dashboards)
        uow.reports.add_all([e for e, _ in group if isinstance(e, Report)], sources, label)
    for (_, label), group in by_label.items():
        sources = {e.id: s for e, s in group if s is not None}
        uow.dashboards.add_all([e for e, _ in group if isinstance(e, Dashboard)], sources, label)


def restored_items(
    restorations: Sequence[Restoration], touches: Sequence[Touch]
) -> tuple[ImportedItem, ...]:
    """One item per entity, as an import answers: the change's entities in its order, then any
    other that lost a place to what the revert deleted."""
    done: dict[EntityKey, Action] = {}
    for touch in touches:
        first = done.get(touch.key)
        action: Action = (
            "deleted"
            if touch.after is None
            else "created"
            if touch.before is None or first == "created"
            else "updated"
        )
        done[touch.key] = action
    keys = [r.key for r in restorations]
    listed = set(keys)
    keys += [k for k in done if k not in listed]
    return tuple(
        ImportedItem(k.id, k.entity_type, k.id, action=done.get(k, "unchanged")) for k in keys
    )
