from __future__ import annotations

from collections.abc import Iterable

from application.ports.unit_of_work import UnitOfWork
from domain.export import EntityExport, export_reports


class ExportReports:
    """Reports, each combined one with its children, read in one transaction."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, report_ids: Iterable[str]) -> EntityExport:
        with self._uow as uow:
            return export_reports(report_ids, uow.reports.get_many)
