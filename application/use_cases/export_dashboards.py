from __future__ import annotations

from collections.abc import Iterable

from application.ports.unit_of_work import ReadingUnitOfWork
from application.use_cases.export_stream import EntityExporter
from domain.export import ExportPlan, plan_dashboard_export
from domain.report import ReportOutline


class ExportDashboards(EntityExporter):
    """Dashboards with every report they show, read in one transaction so the export is one
    consistent snapshot. The plan is decided from report outlines; the data follows in order."""

    kind = "dashboards"

    def _plan(self, uow: ReadingUnitOfWork, ids: Iterable[str]) -> ExportPlan[ReportOutline]:
        """Not-found and every other rule are decided here, before any data is read."""
        return plan_dashboard_export(
            ids, uow.dashboards.get_many, uow.reports.outlines, self._limits
        )
