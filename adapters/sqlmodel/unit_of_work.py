from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from adapters.sqlmodel.change_counter import advance_on_commit
from adapters.sqlmodel.collection_repository import SqlCollectionRepository
from adapters.sqlmodel.dashboard_repository import SqlDashboardRepository
from adapters.sqlmodel.definition_repository import SqlDefinitionRepository
from adapters.sqlmodel.errors import storage_error, translated_errors
from adapters.sqlmodel.report_repository import SqlReportRepository
from adapters.sqlmodel.setting_repository import SqlSettingRepository
from application.ports.unit_of_work import UnitOfWork

BEGIN_MODE = "boardport_begin"


class SqlUnitOfWork(UnitOfWork):
    """One SQLModel session, one transaction. Exiting without `commit()` rolls back.

    A unit of work `for_writing` takes the write lock when it begins (SQLite: BEGIN IMMEDIATE),
    so a transaction that reads and then writes cannot be refused half-way by another writer.
    A reading one sees one snapshot throughout (PostgreSQL: REPEATABLE READ), so an export
    never mixes states."""

    def __init__(
        self, session_factory: Callable[[], Session], *, for_writing: bool = False
    ) -> None:
        self._session_factory = session_factory
        self._for_writing = for_writing
        self._session: Session | None = None

    def __enter__(self) -> Self:
        session = self._session_factory()
        self._session = session
        dialect = session.get_bind().dialect.name
        try:
            with translated_errors():
                if dialect == "sqlite":
                    mode = "IMMEDIATE" if self._for_writing else "DEFERRED"
                    session.connection(execution_options={BEGIN_MODE: mode})
                elif dialect == "postgresql" and not self._for_writing:
                    session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        except BaseException:
            self._end()
            raise
        if self._for_writing:
            advance_on_commit(session)
        self.collections = SqlCollectionRepository(session)
        self.reports = SqlReportRepository(session)
        self.dashboards = SqlDashboardRepository(session)
        self.definitions = SqlDefinitionRepository(session)
        self.settings = SqlSettingRepository(session)
        return self

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

    def commit(self) -> None:
        self._require_session().commit()

    def rollback(self) -> None:
        self._require_session().rollback()

    def _require_session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._session
