from __future__ import annotations

from collections.abc import Iterable

from application.ports.unit_of_work import ReadingUnitOfWork
from application.use_cases.export_stream import EntityExporter
from domain.export import ExportPlan, plan_report_export
from domain.report import ReportOutline


class ExportReports(EntityExporter):
    """Reports, each combined one with its children, read in one transaction."""

    kind = "reports"

    def _plan(self, uow: ReadingUnitOfWork, ids: Iterable[str]) -> ExportPlan[ReportOutline]:
        return plan_report_export(ids, uow.reports.outlines, self._limits)
