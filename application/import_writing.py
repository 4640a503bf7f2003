"""What an import does once its file has passed every check: the plan of what it creates,
updates and prunes, read under the collection's lock, and the writes, all in the unit of work
the caller commits. A dry run makes the same plan in a reading unit of work and writes nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from application.ports.unit_of_work import ReadingUnitOfWork, WritingUnitOfWork
from application.removal import remove_entities
from domain.dashboard import Dashboard
from domain.history import Origin, Touch
from domain.import_plan import CheckedImport, ImportedItem, ImportPlan
from domain.origin import pruned
from domain.overwrite import StoredOrigin, match_stored, plan_overwrite, stored_changes
from domain.report import Report

AnyUnitOfWork = ReadingUnitOfWork | WritingUnitOfWork


@dataclass(frozen=True, slots=True)
class ImportMode:
    """How the checked file is written: `overwrite` updates what the collection holds from the
    same origin (or with the same ID); `prune` also deletes what this source deployed there
    that the file no longer has; `label` is the import's `source`."""

    overwrite: bool = False
    prune: bool = False
    label: str = ""


@dataclass(frozen=True, slots=True)
class PlannedImport:
    collection_id: str
    plan: ImportPlan
    pruned: tuple[StoredOrigin, ...] = ()
    stored: Mapping[str, Report | Dashboard] = field(default_factory=dict)
    """What the updated entities are now, by ID (an overwriting import only)."""

    @property
    def items(self) -> tuple[ImportedItem, ...]:
        """The file's items, then one per pruned entity."""
        deleted = tuple(
            ImportedItem(
                o.id,
                "report" if o.entity_type.is_report else "dashboard",
                o.source_id or "",
                action="deleted",
            )
            for o in self.pruned
        )
        return self.plan.items + deleted

    def predicted(self) -> tuple[ImportedItem, ...]:
        """The answer of a dry run: the same items, without the IDs it would have created, each
        update with what it would change."""
        plan = self.plan
        planned: dict[str, Report | Dashboard] = {e.id: e for e in plan.updated_reports}
        planned |= {e.id: e for e in plan.updated_dashboards}
        return (
            tuple(self._with_changes(i, planned) for i in plan.predicted())
            + self.items[len(plan.items) :]
        )

    def _with_changes(
        self, item: ImportedItem, planned: Mapping[str, Report | Dashboard]
    ) -> ImportedItem:
        if item.action != "updated" or item.id is None or item.id not in self.stored:
            return item
        return replace(item, changes=stored_changes(self.stored[item.id], planned[item.id]))

    @property
    def writes_anything(self) -> bool:
        return self.plan.writes_anything or bool(self.pruned)


def plan_import(
    uow: AnyUnitOfWork, checked: CheckedImport, mode: ImportMode, new_id: Callable[[], str]
) -> PlannedImport:
    """What writing the file does to what the unit of work reads now."""
    target, ids = checked.collection_id, checked.ids
    if not mode.overwrite:
        return PlannedImport(
            target, checked.planned({e.entity.id: new_id() for e in checked.entries})
        )
    origins = [
        *uow.reports.origins_in_collection(target, mode.label, ids),
        *uow.dashboards.origins_in_collection(target, mode.label, ids),
    ]
    matches = match_stored(checked, origins)
    report_ids = frozenset(m.id for m in matches.values() if m.entity_type.is_report)
    dashboard_ids = frozenset(m.id for m in matches.values() if not m.entity_type.is_report)
    stored_reports = uow.reports.get_many(report_ids)
    stored_dashboards = uow.dashboards.get_many(dashboard_ids)
    plan = plan_overwrite(checked, matches, stored_reports, stored_dashboards, new_id)
    stored: dict[str, Report | Dashboard] = {**stored_reports, **stored_dashboards}
    if not mode.prune:
        return PlannedImport(target, plan, stored=stored)
    sourced = [
        *uow.reports.sourced_from(target, mode.label),
        *uow.dashboards.sourced_from(target, mode.label),
    ]
    return PlannedImport(target, plan, pruned(sourced, ids), stored)


def write_import(uow: WritingUnitOfWork, planned: PlannedImport, mode: ImportMode) -> list[Touch]:
    """Writes the plan, and answers what it changed for history. Every entity it creates takes
    the origin of its ID in the file, from any older copy in the collection; new reports go
    first, as an updated combined report or dashboard may show them, and what is pruned goes
    last, as `DELETE` deletes it."""
    plan, target = planned.plan, planned.collection_id
    sources = plan.sources()
    report_sources = [sources[r.id] for r in plan.reports if r.id in sources]
    dashboard_sources = [sources[d.id] for d in plan.dashboards if d.id in sources]
    uow.reports.release_origins(target, mode.label, report_sources)
    uow.reports.add_all(plan.reports, sources, mode.label)
    uow.reports.update_all(plan.updated_reports)
    uow.dashboards.release_origins(target, mode.label, dashboard_sources)
    uow.dashboards.add_all(plan.dashboards, sources, mode.label)
    uow.dashboards.update_all(plan.updated_dashboards)
    created: list[Report | Dashboard] = [*plan.reports, *plan.dashboards]
    touches = [Touch(None, e, _origin(sources.get(e.id), mode.label)) for e in created]
    updated: list[Report | Dashboard] = [*plan.updated_reports, *plan.updated_dashboards]
    touches += [Touch(planned.stored.get(e.id), e) for e in updated]
    if planned.pruned:
        gone = uow.reports.lock([o.id for o in planned.pruned if o.entity_type.is_report])
        origins = {o.id: Origin(o.source_id, mode.label) for o in planned.pruned if o.source_id}
        touches += remove_entities(
            uow, gone, [o.id for o in planned.pruned if not o.entity_type.is_report], origins
        )
    return touches


def _origin(source_id: str | None, label: str) -> Origin | None:
    return None if source_id is None else Origin(source_id, label)
