from __future__ import annotations

from collections.abc import Iterable

from application.ports.unit_of_work import UnitOfWork
from domain.export import EntityExport, export_dashboards
from domain.limits import InputLimits


class ExportDashboards:
    """Dashboards with every report they show, read in one transaction so the export is one
    consistent snapshot."""

    def __init__(self, uow: UnitOfWork, limits: InputLimits = InputLimits()) -> None:  # noqa: B008
        self._uow = uow
        self._limits = limits

    def __call__(self, dashboard_ids: Iterable[str]) -> EntityExport:
        with self._uow as uow:
            return export_dashboards(
                dashboard_ids, uow.dashboards.get_many, uow.reports.get_many, self._limits
            )
