"""What deleting reports and dashboards changes, written once for every writer that deletes:
`DELETE` of one entity, an import that prunes many, and a revert that takes back what a change
created."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from application.ports.unit_of_work import WritingUnitOfWork
from domain.history import Origin, Touch
from domain.report import Report


def remove_entities(
    uow: WritingUnitOfWork,
    reports: Mapping[str, Report],
    dashboard_ids: Collection[str] = (),
    origins: Mapping[str, Origin] | None = None,
) -> list[Touch]:
    """Deletes the dashboards (their reports stay) and the reports, each report leaving every
    tile and every combined report that showed it, in the unit of work's transaction, and
    answers what changed for history: each deleted entity (with its origin from `origins`),
    each combined report and dashboard that lost a place. Rows are held in one order, reports,
    then combined reports, then dashboards, the same for every writer, so concurrent deletes
    neither undo each other's changes nor wait on each other in a cycle. `reports` are the
    reports to delete as `uow.reports.lock` answered them: held already."""
    known = origins or {}
    gone = frozenset(reports)
    gone_dashboards = frozenset(dashboard_ids)
    parents = [c for c in uow.reports.combined_containing(gone) if c.id not in gone]
    showing = uow.dashboards.containing_reports(gone)  # holds them until the commit
    deleted_dashboards = uow.dashboards.get_many(gone_dashboards)
    touches: list[Touch] = []
    for combined in parents:
        kept = _without(combined, gone)
        uow.reports.replace(kept)
        touches.append(Touch(combined, kept))
    uow.dashboards.remove(dashboard_ids)
    uow.dashboards.remove_tiles_showing(gone)
    uow.reports.remove(gone)
    touches += [Touch(d, d.without_reports(gone)) for d in showing if d.id not in gone_dashboards]
    touches += [Touch(d, None, known.get(d.id)) for d in deleted_dashboards.values()]
    touches += [Touch(r, None, known.get(r.id)) for r in reports.values()]
    return touches


def _without(combined: Report, gone: frozenset[str]) -> Report:
    for child in combined.child_ids:
        if child in gone:
            combined = combined.without_child(child)
    return combined
