from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, text
from sqlmodel import Session, col

from adapters.sqlmodel.mappers import as_utc
from adapters.sqlmodel.tables import IdempotencyRow
from adapters.sqlmodel.upsert import upsert
from application.ports.idempotency_repository import IdempotencyReader, IdempotencyRepository
from domain.errors import IdempotencyKeyInProgress
from domain.idempotency import KeptAnswer, KeyedRequest

IDEMPOTENCY_TABLE = IdempotencyRow.__table__  # type: ignore[attr-defined]
IN_PROGRESS = (
    "The first request with this Idempotency-Key is still being answered; send it again in a "
    "moment to get its answer."
)


class SqlIdempotencyReader(IdempotencyReader):
    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name

    def kept(self, request: KeyedRequest, now: datetime) -> KeptAnswer | None:
        row = self._session.execute(
            select(
                col(IdempotencyRow.fingerprint),
                col(IdempotencyRow.answer),
                col(IdempotencyRow.expires),
            ).where(
                col(IdempotencyRow.caller) == request.caller,
                col(IdempotencyRow.key) == request.key,
            )
        ).one_or_none()
        if row is None or as_utc(row[2]) <= now:
            return None
        return KeptAnswer(row[0], bytes(row[1]))


class SqlIdempotencyRepository(SqlIdempotencyReader, IdempotencyRepository):
    def claim(self, request: KeyedRequest) -> None:
        if self._dialect != "postgresql":
            return  # SQLite: this writing unit of work holds the database's write lock already
        # A transaction-scoped advisory lock: released at commit or rollback, and when the
        # server dies, so a crash leaves no key held.
        held = self._session.execute(
            text("SELECT pg_try_advisory_xact_lock(hashtextextended(:name, 0))"),
            {"name": f"boardport idempotency {request.caller}\n{request.key}"},
        ).scalar_one()
        if not held:
            raise IdempotencyKeyInProgress(IN_PROGRESS)

    def keep(self, request: KeyedRequest, answer: bytes, expires: datetime, now: datetime) -> None:
        self._session.execute(delete(IdempotencyRow).where(col(IdempotencyRow.expires) <= now))
        upsert(
            self._session,
            IDEMPOTENCY_TABLE,
            {
                "caller": request.caller,
                "key": request.key,
                "fingerprint": request.fingerprint,
                "answer": answer,
                "expires": expires,
            },
            ["caller", "key"],
        )
