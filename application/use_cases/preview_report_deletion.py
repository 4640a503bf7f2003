from __future__ import annotations

from dataclasses import dataclass

from application.ports.unit_of_work import ReadingUnitOfWork
from domain.dashboard import Dashboard
from domain.errors import NotFound
from domain.report import undeletable_reason
from domain.report_summary import ReportSummary


@dataclass(frozen=True, slots=True)
class ReportDeletionImpact:
    """What deleting a report changes besides the report: the dashboards and combined reports
    it would leave; `refusal` says why it may not be deleted, if it may not."""

    report: ReportSummary
    dashboards: tuple[Dashboard, ...]
    combined_reports: tuple[ReportSummary, ...]
    refusal: str | None


class PreviewReportDeletion:
    """Says what `DeleteReport` would change, and changes nothing."""

    def __init__(self, uow: ReadingUnitOfWork) -> None:
        self._uow = uow

    def __call__(self, report_id: str) -> ReportDeletionImpact:
        with self._uow as uow:
            report = uow.reports.get_many(frozenset([report_id])).get(report_id)
            if report is None:
                raise NotFound("reports", [report_id])
            dashboards = uow.dashboards.showing_report(report_id)
            combined = uow.reports.combining(report_id)
        return ReportDeletionImpact(
            ReportSummary.of(report),
            tuple(dashboards),
            tuple(ReportSummary.of(c) for c in combined),
            undeletable_reason(report),
        )
