from __future__ import annotations

from collections.abc import Iterable

from application.ports.unit_of_work import UnitOfWork
from domain.export import EntityExport, export_reports
from domain.limits import InputLimits


class ExportReports:
    """Reports, each combined one with its children, read in one transaction."""

    def __init__(self, uow: UnitOfWork, limits: InputLimits = InputLimits()) -> None:  # noqa: B008
        self._uow = uow
        self._limits = limits

    def __call__(self, report_ids: Iterable[str]) -> EntityExport:
        with self._uow as uow:
            return export_reports(report_ids, uow.reports.get_many, self._limits)
