"""The units of work over SQLModel sessions: one session, one transaction each. Leaving the
`with` block without a commit rolls back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from adapters.sqlmodel.change_counter import advance_on_commit
from adapters.sqlmodel.collection_repository import SqlCollectionReader, SqlCollectionRepository
from adapters.sqlmodel.dashboard_repository import SqlDashboardReader, SqlDashboardRepository
from adapters.sqlmodel.definition_repository import SqlDefinitionReader, SqlDefinitionRepository
from adapters.sqlmodel.errors import storage_error, translated_errors
from adapters.sqlmodel.history_reader import SqlHistoryReader
from adapters.sqlmodel.history_repository import SqlHistoryRepository
from adapters.sqlmodel.idempotency_repository import (
    SqlIdempotencyReader,
    SqlIdempotencyRepository,
)
from adapters.sqlmodel.report_repository import SqlReportReader, SqlReportRepository
from adapters.sqlmodel.setting_repository import SqlSettingRepository
from application.ports.unit_of_work import ReadingUnitOfWork, WritingUnitOfWork

BEGIN_MODE = "boardport_begin"
READ_ONLY = "boardport_read_only"
"""The `Session.info` key of a reading unit of work's session, whose commit is refused."""


class ReadOnlyTransaction(RuntimeError):
    """Something tried to commit through a reading unit of work."""


@event.listens_for(Session, "before_commit")
def _refuse_reading_commits(session: Session) -> None:
    if session.info.get(READ_ONLY):
        raise ReadOnlyTransaction("a reading unit of work cannot commit")


@dataclass(frozen=True, slots=True)
class _Readers:
    collections: SqlCollectionReader
    reports: SqlReportReader
    dashboards: SqlDashboardReader
    definitions: SqlDefinitionReader
    idempotency: SqlIdempotencyReader
    history: SqlHistoryReader


@dataclass(frozen=True, slots=True)
class _Writers:
    collections: SqlCollectionRepository
    reports: SqlReportRepository
    dashboards: SqlDashboardRepository
    definitions: SqlDefinitionRepository
    settings: SqlSettingRepository
    idempotency: SqlIdempotencyRepository
    history: SqlHistoryRepository


T = TypeVar("T")


def _inside(repositories: T | None) -> T:
    if repositories is None:
        raise RuntimeError("the unit of work is used outside its `with` block")
    return repositories


class _SqlTransaction:
    """What both units of work share: the session's life, and storage failures leaving as the
    application's own error."""

    _writing = False

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    def _begin(self) -> Session:
        session = self._session_factory()
        self._session = session
        dialect = session.get_bind().dialect.name
        try:
            with translated_errors():
                session.connection(execution_options=self._begin_options(dialect))
        except BaseException:
            self._end()
            raise
        return session

    def _begin_options(self, dialect: str) -> dict[str, Any]:
        if dialect == "sqlite":
            return {BEGIN_MODE: "IMMEDIATE" if self._writing else "DEFERRED"}
        if dialect == "postgresql" and not self._writing:
            return {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        return {}

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            with translated_errors():
                self._require_session().rollback()
        finally:
            self._end()
        if isinstance(exc, SQLAlchemyError):
            # What failed inside the block leaves as the application's storage error.
            raise storage_error(exc) from exc

    def _end(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            with translated_errors():
                session.close()

    def _require_session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._session


class SqlReadingUnitOfWork(_SqlTransaction, ReadingUnitOfWork):
    """One snapshot throughout (PostgreSQL: REPEATABLE READ, READ ONLY), so an export never
    mixes states. Its repositories only read, and its session refuses to commit."""

    _readers: _Readers | None = None

    def __enter__(self) -> Self:
        session = self._begin()
        session.info[READ_ONLY] = True
        self._readers = _Readers(
            SqlCollectionReader(session),
            SqlReportReader(session),
            SqlDashboardReader(session),
            SqlDefinitionReader(session),
            SqlIdempotencyReader(session),
            SqlHistoryReader(session),
        )
        return self

    def _end(self) -> None:
        self._readers = None
        super()._end()

    @property
    def collections(self) -> SqlCollectionReader:
        return _inside(self._readers).collections

    @property
    def reports(self) -> SqlReportReader:
        return _inside(self._readers).reports

    @property
    def dashboards(self) -> SqlDashboardReader:
        return _inside(self._readers).dashboards

    @property
    def definitions(self) -> SqlDefinitionReader:
        return _inside(self._readers).definitions

    @property
    def idempotency(self) -> SqlIdempotencyReader:
        return _inside(self._readers).idempotency

    @property
    def history(self) -> SqlHistoryReader:
        return _inside(self._readers).history


class SqlWritingUnitOfWork(_SqlTransaction, WritingUnitOfWork):
    """Takes the write lock when it begins (SQLite: BEGIN IMMEDIATE), so a transaction that
    reads and then writes cannot be refused half-way by another writer. Each commit moves the
    change counter in the same transaction."""

    _writing = True

    _writers: _Writers | None = None

    def __enter__(self) -> Self:
        session = self._begin()
        advance_on_commit(session)
        self._writers = _Writers(
            SqlCollectionRepository(session),
            SqlReportRepository(session),
            SqlDashboardRepository(session),
            SqlDefinitionRepository(session),
            SqlSettingRepository(session),
            SqlIdempotencyRepository(session),
            SqlHistoryRepository(session),
        )
        return self

    def _end(self) -> None:
        self._writers = None
        super()._end()

    @property
    def collections(self) -> SqlCollectionRepository:
        return _inside(self._writers).collections

    @property
    def reports(self) -> SqlReportRepository:
        return _inside(self._writers).reports

    @property
    def dashboards(self) -> SqlDashboardRepository:
        return _inside(self._writers).dashboards

    @property
    def definitions(self) -> SqlDefinitionRepository:
        return _inside(self._writers).definitions

    @property
    def settings(self) -> SqlSettingRepository:
        return _inside(self._writers).settings

    @property
    def idempotency(self) -> SqlIdempotencyRepository:
        return _inside(self._writers).idempotency

    @property
    def history(self) -> SqlHistoryRepository:
        return _inside(self._writers).history

    def commit(self) -> None:
        self._require_session().commit()
