from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack

from application.ports.unit_of_work import UnitOfWork
from application.use_cases.open_export import OpenExport
from domain.export import EntityExport, plan_dashboard_export
from domain.limits import InputLimits


class ExportDashboards:
    """Dashboards with every report they show, read in one transaction so the export is one
    consistent snapshot. The plan is decided from report outlines; the data follows in order."""

    def __init__(self, uow: UnitOfWork, limits: InputLimits = InputLimits()) -> None:  # noqa: B008
        self._uow = uow
        self._limits = limits

    def __call__(self, dashboard_ids: Iterable[str]) -> EntityExport:
        with self.open(dashboard_ids) as export:
            return export.collect()

    def open(self, dashboard_ids: Iterable[str]) -> OpenExport:
        """The export, planned, its data still to be read; not-found and every other rule are
        decided here, before anything is read in full."""
        with ExitStack() as resources:
            uow = resources.enter_context(self._uow)
            plan = plan_dashboard_export(
                dashboard_ids, uow.dashboards.get_many, uow.reports.outlines, self._limits
            )
            return OpenExport(resources.pop_all(), uow, plan)
