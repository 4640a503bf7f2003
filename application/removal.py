"""What deleting reports and dashboards changes, written once for every writer that deletes:
`DELETE` of one entity, and an import that prunes many."""

from __future__ import annotations

from collections.abc import Collection

from application.ports.unit_of_work import WritingUnitOfWork
from domain.report import Report


def remove_entities(
    uow: WritingUnitOfWork, report_ids: Collection[str], dashboard_ids: Collection[str] = ()
) -> None:
    """Deletes the dashboards (their reports stay) and the reports, each report leaving every
    tile and every combined report that showed it, in the unit of work's transaction. Rows are
    held in one order, reports, then combined reports, then dashboards, the same for every
    writer, so concurrent deletes neither undo each other's changes nor wait on each other in
    a cycle. The reports must be held already (`uow.reports.lock`)."""
    gone = frozenset(report_ids)
    parents = [c for c in uow.reports.combined_containing(gone) if c.id not in gone]
    uow.dashboards.containing_reports(gone)  # holds them until the commit
    for combined in parents:
        uow.reports.replace(_without(combined, gone))
    uow.dashboards.remove(dashboard_ids)
    uow.dashboards.remove_tiles_showing(gone)
    uow.reports.remove(gone)


def _without(combined: Report, gone: frozenset[str]) -> Report:
    for child in combined.child_ids:
        if child in gone:
            combined = combined.without_child(child)
    return combined
