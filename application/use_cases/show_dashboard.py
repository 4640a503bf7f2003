from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from application.ports.unit_of_work import ReadingUnitOfWork
from domain.dashboard import Dashboard
from domain.errors import NotFound
from domain.report_summary import ReportSummary


@dataclass(frozen=True, slots=True)
class DashboardView:
    """A dashboard with a summary of each report its tiles show, by report ID."""

    dashboard: Dashboard
    reports: Mapping[str, ReportSummary]


class ShowDashboard:
    def __init__(self, uow: ReadingUnitOfWork) -> None:
        self._uow = uow

    def __call__(self, dashboard_id: str) -> DashboardView:
        with self._uow as uow:
            dashboard = uow.dashboards.get_many(frozenset([dashboard_id])).get(dashboard_id)
            if dashboard is None:
                raise NotFound("dashboards", [dashboard_id])
            reports = uow.reports.get_many(frozenset(dashboard.report_ids()))
        return DashboardView(dashboard, {i: ReportSummary.of(r) for i, r in reports.items()})
