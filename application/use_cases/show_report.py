from __future__ import annotations

from dataclasses import dataclass

from application.ports.unit_of_work import ReadingUnitOfWork
from domain.dashboard import Dashboard
from domain.definition import DefinitionRef, definition_refs
from domain.errors import NotFound
from domain.report import undeletable_reason
from domain.report_summary import ReportSummary


@dataclass(frozen=True, slots=True)
class ReportView:
    """A report with what it is made of (its definitions; a combined report's children, in
    its order) and what uses it (the dashboards that show it, the combined reports that hold
    it); `refusal` says why it may not be deleted, if it may not."""

    report: ReportSummary
    description: str | None
    definitions: tuple[DefinitionRef, ...]
    children: tuple[ReportSummary, ...]
    dashboards: tuple[Dashboard, ...]
    combined_reports: tuple[ReportSummary, ...]
    refusal: str | None


class ShowReport:
    def __init__(self, uow: ReadingUnitOfWork) -> None:
        self._uow = uow

    def __call__(self, report_id: str) -> ReportView:
        with self._uow as uow:
            report = uow.reports.get_many(frozenset([report_id])).get(report_id)
            if report is None:
                raise NotFound("reports", [report_id])
            children = uow.reports.get_many(frozenset(report.child_ids))
            dashboards = uow.dashboards.showing_report(report_id)
            combined = uow.reports.combining(report_id)
        return ReportView(
            ReportSummary.of(report),
            report.description,
            definition_refs(report),
            tuple(ReportSummary.of(children[i]) for i in report.child_ids if i in children),
            tuple(dashboards),
            tuple(ReportSummary.of(c) for c in combined),
            undeletable_reason(report),
        )
