"""The web pages' state in the database, so every worker and instance shares it: sessions,
files waiting for their confirm step, sign-in failures. Each call is a short transaction of its
own on the engine, not a unit of work: none of this is a change to the collections' contents,
so it neither moves the change counter nor makes history."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlmodel import col

from adapters.sqlmodel.errors import translated_errors
from adapters.sqlmodel.mappers import as_utc
from adapters.sqlmodel.tables import PendingImportRow, SignInFailureRow, WebSessionRow
from application.ports.clock import Clock
from application.ports.web_state import (
    PendingImport,
    PendingImports,
    SignInThrottle,
    WebSession,
    WebSessions,
)
from domain.actor import Actor
from domain.sign_in_throttle import SignInFailures, after_failure

MAX_PRE_SESSIONS = 10_000
WRITE_LOCK = {"boardport_begin": "IMMEDIATE"}
"""SQLite: a transaction that reads then writes takes the write lock first (PostgreSQL: the
rows it reads are locked FOR UPDATE)."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).hexdigest()


class _Transactions:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    @contextmanager
    def _transaction(self, *, writing: bool = True) -> Iterator[Connection]:
        options = WRITE_LOCK if writing and self._engine.dialect.name == "sqlite" else {}
        with (
            translated_errors(),
            self._engine.connect() as connection,
            connection.execution_options(**options).begin(),
        ):
            yield connection


class SqlWebSessions(_Transactions, WebSessions):
    def __init__(
        self, engine: Engine, clock: Clock, max_pre_sessions: int = MAX_PRE_SESSIONS
    ) -> None:
        super().__init__(engine, clock)
        self._max_pre_sessions = max_pre_sessions

    def open(self, actor: Actor | None, lifetime: timedelta) -> WebSession:
        now = self._clock.now()
        session = WebSession(
            secrets.token_urlsafe(32), secrets.token_urlsafe(32), actor, now + lifetime
        )
        values = {
            "id_hash": digest(session.id),
            "csrf_token": session.csrf_token,
            "actor": None if actor is None else actor.name,
            "expires": session.expires,
        }
        with self._transaction() as connection:
            connection.execute(delete(WebSessionRow).where(col(WebSessionRow.expires) <= now))
            connection.execute(insert(WebSessionRow).values(values))
            if actor is None:
                _trim_pre_sessions(connection, self._max_pre_sessions)
        return session

    def get(self, session_id: str | None) -> WebSession | None:
        if not session_id:
            return None
        query = select(
            col(WebSessionRow.csrf_token), col(WebSessionRow.actor), col(WebSessionRow.expires)
        ).where(col(WebSessionRow.id_hash) == digest(session_id))
        with self._transaction(writing=False) as connection:
            row = connection.execute(query).one_or_none()
        if row is None or as_utc(row[2]) <= self._clock.now():
            return None
        actor = None if row[1] is None else Actor(row[1])
        return WebSession(session_id, row[0], actor, as_utc(row[2]))

    def close(self, session_id: str | None) -> None:
        if not session_id:
            return
        with self._transaction() as connection:
            connection.execute(
                delete(WebSessionRow).where(col(WebSessionRow.id_hash) == digest(session_id))
            )


def _trim_pre_sessions(connection: Connection, limit: int) -> None:
    """Anyone may open the sign-in form, so its pre-sessions are bounded: past the limit the
    ones closest to expiry go (a signed-in session is never pushed out by them)."""
    pre = select(col(WebSessionRow.id_hash)).where(col(WebSessionRow.actor).is_(None))
    count = connection.execute(select(func.count()).select_from(pre.subquery())).scalar_one()
    if count <= limit:
        return
    oldest = pre.order_by(col(WebSessionRow.expires)).limit(count - limit)
    connection.execute(delete(WebSessionRow).where(col(WebSessionRow.id_hash).in_(oldest)))


class SqlPendingImports(_Transactions, PendingImports):
    def keep(
        self,
        session_id: str,
        collection_id: str,
        file_name: str,
        content: bytes,
        *,
        overwrite: bool,
        prune: bool = False,
        lifetime: timedelta,
        max_bytes: int,
    ) -> str:
        key = secrets.token_urlsafe(24)
        now = self._clock.now()
        row = {
            "key": key,
            "session_hash": digest(session_id),
            "collection_id": collection_id,
            "file_name": file_name,
            "overwrite": overwrite,
            "prune": prune,
            "content": content,
            "size": len(content),
            "created": now,
            "expires": now + lifetime,
        }
        with self._transaction() as connection:
            connection.execute(delete(PendingImportRow).where(col(PendingImportRow.expires) <= now))
            self._make_room(connection, max_bytes - len(content))
            connection.execute(insert(PendingImportRow).values(row))
        return key

    @staticmethod
    def _make_room(connection: Connection, room: int) -> None:
        """Forgets the oldest files until the others fit in `room` bytes."""
        kept = connection.execute(
            select(col(PendingImportRow.key), col(PendingImportRow.size))
            .order_by(col(PendingImportRow.created).desc(), col(PendingImportRow.key))
            .with_for_update()
        ).all()
        total, gone = 0, []
        for key, size in kept:
            total += size
            if total > room:
                gone.append(key)
        if gone:
            connection.execute(delete(PendingImportRow).where(col(PendingImportRow.key).in_(gone)))

    def take(self, key: str, session_id: str) -> PendingImport | None:
        query = select(PendingImportRow).where(col(PendingImportRow.key) == key).with_for_update()
        with self._transaction() as connection:
            row = connection.execute(query).one_or_none()
            if row is None:
                return None
            connection.execute(delete(PendingImportRow).where(col(PendingImportRow.key) == key))
        expires = as_utc(row.expires)
        mine = secrets.compare_digest(row.session_hash, digest(session_id))
        if not mine or expires <= self._clock.now():
            return None
        return PendingImport(
            session_id,
            row.collection_id,
            row.file_name,
            bytes(row.content),
            expires,
            row.overwrite,
            row.prune,
        )


class SqlSignInThrottle(_Transactions, SignInThrottle):
    def refused_until(self, address: str, now: datetime) -> datetime | None:
        with self._transaction(writing=False) as connection:
            state = _state(connection, address, lock=False)
        return None if state is None else state.refused_until(now)

    def failed(self, address: str, now: datetime) -> SignInFailures:
        with self._transaction() as connection:
            before = _state(connection, address, lock=True)
            after = after_failure(before, now)
            values = {
                "failures": after.failures,
                "window_start": after.window_start,
                "blocks": after.blocks,
                "blocked_until": after.blocked_until,
                "last_failure": after.last_failure,
            }
            if before is None:
                connection.execute(insert(SignInFailureRow).values(address=address, **values))
            else:
                connection.execute(
                    update(SignInFailureRow)
                    .where(col(SignInFailureRow.address) == address)
                    .values(values)
                )
            # Addresses quiet for long are forgotten, so the table stays as small as the attack.
            quiet = now - timedelta(days=1)
            connection.execute(
                delete(SignInFailureRow).where(
                    func.coalesce(
                        col(SignInFailureRow.last_failure), col(SignInFailureRow.window_start)
                    )
                    < quiet
                )
            )
        return after

    def succeeded(self, address: str) -> None:
        with self._transaction() as connection:
            connection.execute(
                delete(SignInFailureRow).where(col(SignInFailureRow.address) == address)
            )


def _state(connection: Connection, address: str, *, lock: bool) -> SignInFailures | None:
    query = select(SignInFailureRow).where(col(SignInFailureRow.address) == address)
    row = connection.execute(query.with_for_update() if lock else query).one_or_none()
    if row is None:
        return None
    return SignInFailures(
        row.failures,
        as_utc(row.window_start),
        row.blocks,
        None if row.blocked_until is None else as_utc(row.blocked_until),
        None if row.last_failure is None else as_utc(row.last_failure),
    )
