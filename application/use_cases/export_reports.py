from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack

from application.ports.unit_of_work import UnitOfWork
from application.use_cases.open_export import OpenExport
from domain.export import EntityExport, plan_report_export
from domain.limits import InputLimits


class ExportReports:
    """Reports, each combined one with its children, read in one transaction."""

    def __init__(self, uow: UnitOfWork, limits: InputLimits = InputLimits()) -> None:  # noqa: B008
        self._uow = uow
        self._limits = limits

    def __call__(self, report_ids: Iterable[str]) -> EntityExport:
        with self.open(report_ids) as export:
            return export.collect()

    def open(self, report_ids: Iterable[str]) -> OpenExport:
        """The export, planned, its data still to be read."""
        with ExitStack() as resources:
            uow = resources.enter_context(self._uow)
            plan = plan_report_export(report_ids, uow.reports.outlines, self._limits)
            return OpenExport(resources.pop_all(), uow, plan)
