from __future__ import annotations

from application.ports.unit_of_work import WritingUnitOfWork
from domain.errors import BadRequest, NotFound
from domain.report import undeletable_reason


class DeleteReport:
    """Deletes a report and, in the same transaction, takes it out of every dashboard and every
    combined report that shows it, so nothing is left pointing at it. Each row it rewrites is
    held first, report, then combined reports, then dashboards, so concurrent deletes neither
    undo each other's changes nor wait on each other in a cycle."""

    def __init__(self, uow: WritingUnitOfWork) -> None:
        self._uow = uow

    def __call__(self, report_id: str) -> None:
        with self._uow as uow:
            report = uow.reports.lock(report_id)
            if report is None:
                raise NotFound("reports", [report_id])
            reason = undeletable_reason(report)
            if reason is not None:
                raise BadRequest(reason)
            for combined in uow.reports.combined_containing(report_id):
                uow.reports.replace(combined.without_child(report_id))
            uow.dashboards.containing_report(report_id)  # holds them until the commit
            uow.dashboards.remove_tiles_showing(report_id)
            uow.reports.remove(report_id)
            uow.commit()
