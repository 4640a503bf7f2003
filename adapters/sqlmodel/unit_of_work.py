from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlmodel import Session

from adapters.sqlmodel.collection_repository import SqlCollectionRepository
from adapters.sqlmodel.dashboard_repository import SqlDashboardRepository
from adapters.sqlmodel.report_repository import SqlReportRepository
from application.ports.unit_of_work import UnitOfWork


class SqlUnitOfWork(UnitOfWork):
    """One SQLModel session, one transaction. Exiting without `commit()` rolls back."""

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    def __enter__(self) -> Self:
        session = self._session_factory()
        self._session = session
        self.collections = SqlCollectionRepository(session)
        self.reports = SqlReportRepository(session)
        self.dashboards = SqlDashboardRepository(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session = self._require_session()
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None

    def commit(self) -> None:
        self._require_session().commit()

    def rollback(self) -> None:
        self._require_session().rollback()

    def _require_session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._session
