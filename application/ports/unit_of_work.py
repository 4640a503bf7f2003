"""Reading and writing are two types. A use case that only reads asks for a
`ReadingUnitOfWork`: its repositories have no writing methods and it has no `commit`, so a
write through it fails in mypy, and its storage refuses to commit one at run time. A use case
that writes asks for a `WritingUnitOfWork`, the only one whose commit moves the change counter
(what the export cache watches), so no write can leave a stale answer behind."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from application.ports.collection_repository import CollectionReader, CollectionRepository
from application.ports.dashboard_repository import DashboardReader, DashboardRepository
from application.ports.definition_repository import DefinitionReader, DefinitionRepository
from application.ports.history import HistoryReader, HistoryRepository
from application.ports.idempotency_repository import IdempotencyReader, IdempotencyRepository
from application.ports.report_repository import ReportReader, ReportRepository
from application.ports.setting_repository import SettingRepository


class _Transaction(Protocol):
    """Leaving the `with` block rolls back whatever was not committed, so a use case that
    raises writes nothing."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


class ReadingUnitOfWork(_Transaction, Protocol):
    """One snapshot of storage, read-only: every read in the `with` block sees the same state."""

    @property
    def collections(self) -> CollectionReader: ...

    @property
    def reports(self) -> ReportReader: ...

    @property
    def dashboards(self) -> DashboardReader: ...

    @property
    def definitions(self) -> DefinitionReader: ...

    @property
    def idempotency(self) -> IdempotencyReader: ...

    @property
    def history(self) -> HistoryReader: ...


class WritingUnitOfWork(_Transaction, Protocol):
    """One transaction over every repository, which holds the write lock from its start, so a
    transaction that reads and then writes cannot be refused half-way by another writer."""

    @property
    def collections(self) -> CollectionRepository: ...

    @property
    def reports(self) -> ReportRepository: ...

    @property
    def dashboards(self) -> DashboardRepository: ...

    @property
    def definitions(self) -> DefinitionRepository: ...

    @property
    def settings(self) -> SettingRepository: ...

    @property
    def idempotency(self) -> IdempotencyRepository: ...

    @property
    def history(self) -> HistoryRepository:
        """Changes and revisions, recorded in this transaction (application/history_recording)."""
        ...

    def commit(self) -> None:
        """Makes the writes durable, and moves the change counter in the same transaction."""
        ...
