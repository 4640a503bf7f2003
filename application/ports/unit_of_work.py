from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from application.ports.collection_repository import CollectionRepository
from application.ports.dashboard_repository import DashboardRepository
from application.ports.definition_repository import DefinitionRepository
from application.ports.report_repository import ReportRepository
from application.ports.setting_repository import SettingRepository


class UnitOfWork(Protocol):
    """One transaction over every repository. Leaving the `with` block without `commit()` rolls
    back, so a use case that raises writes nothing."""

    collections: CollectionRepository
    reports: ReportRepository
    dashboards: DashboardRepository
    definitions: DefinitionRepository
    settings: SettingRepository

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
