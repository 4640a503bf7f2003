from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from types import TracebackType
from typing import Self

from application.ports.unit_of_work import UnitOfWork
from domain.dashboard import Dashboard
from domain.export import EntityExport, ExportPlan
from domain.report import Report, ReportOutline


class OpenExport:
    """An export whose contents and order are decided, with the report data still in storage,
    read in order as the export is consumed. It holds its unit of work, and so one snapshot of
    storage, until it is closed: close it, or use it in a `with` block."""

    def __init__(self, resources: ExitStack, uow: UnitOfWork, plan: ExportPlan[ReportOutline]):
        self._resources = resources
        self._uow = uow
        self._plan = plan
        self._closed = False

    @property
    def dashboards(self) -> tuple[Dashboard, ...]:
        return self._plan.dashboards

    def __len__(self) -> int:
        return len(self._plan.reports) + len(self._plan.dashboards)

    def reports(self) -> Iterator[Report]:
        return self._uow.reports.stream_in_order(self._plan.reports)

    def entities(self) -> Iterator[Report | Dashboard]:
        yield from self.reports()
        yield from self._plan.dashboards

    def collect(self) -> EntityExport:
        """The whole export in memory, for small exports and for the CLI."""
        return EntityExport(tuple(self.reports()), self._plan.dashboards)

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Ends the unit of work and its snapshot; closing again does nothing."""
        self._closed = True
        self._resources.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
