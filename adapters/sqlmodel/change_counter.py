from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import psycopg
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from adapters.export_cache import ChangeCounter
from adapters.fresh_reads import FreshReads

CURRENT_SQL = "SELECT value FROM change_counter WHERE id = 1"
ADVANCE = text("UPDATE change_counter SET value = value + 1 WHERE id = 1")
WRITES = "boardport_writes"
"""The `Session.info` key of sessions whose commits advance the counter."""


def advance_on_commit(session: Session) -> None:
    """Marks the session as one that writes: each of its commits advances the counter, in the
    same transaction, so no reader can see the write without seeing the counter move."""
    session.info[WRITES] = True


@event.listens_for(Session, "before_commit")
def _advance(session: Session) -> None:
    if session.info.get(WRITES):
        session.execute(ADVANCE)


class SqlChangeCounter(ChangeCounter):
    """Reads the counter, on every export request, over a driver connection of its own in
    autocommit mode, so each read sees the latest commit: a primary-key lookup with no pool
    checkout and no statement building.

    SQLite answers from a local file, with no round trip, so it is read in line. PostgreSQL
    costs a round trip, so its reads go over an asyncio connection and are coalesced
    (`FreshReads`): the event loop keeps serving while a read is out, and one read answers every
    request that waited for it.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sqlite: Any = None
        self._postgres: psycopg.AsyncConnection[Any] | None = None
        self._postgres_loop: asyncio.AbstractEventLoop | None = None
        self._reads = FreshReads(self._read_postgres)

    async def current(self) -> int:
        if self._engine.dialect.name == "postgresql":
            return await self._reads.get()
        return self._read_sqlite()

    async def close(self) -> None:
        if self._postgres is not None:
            connection, self._postgres = self._postgres, None
            with contextlib.suppress(Exception):
                await connection.close()
        if self._sqlite is not None:
            connection, self._sqlite = self._sqlite, None
            connection.close()

    def _read_sqlite(self) -> int:
        if self._sqlite is None:
            # Connections of this engine are in autocommit mode from the start (see `engine`).
            pooled = self._engine.raw_connection()
            self._sqlite = pooled.driver_connection
            pooled.detach()  # its own from now on: closing it closes the driver connection
        try:
            row = self._sqlite.execute(CURRENT_SQL).fetchone()
        except Exception:
            self._sqlite.close()
            self._sqlite = None
            raise
        return int(row[0])

    async def _read_postgres(self) -> int:
        loop = asyncio.get_running_loop()
        if self._postgres is not None and self._postgres_loop is not loop:
            self._postgres = None  # opened under a loop that is gone; it cannot be used here
        if self._postgres is None:
            self._postgres_loop = loop
            url = self._engine.url.set(drivername="postgresql")
            self._postgres = await psycopg.AsyncConnection.connect(
                url.render_as_string(hide_password=False), autocommit=True, connect_timeout=5
            )
        try:
            cursor = await self._postgres.execute(CURRENT_SQL, prepare=True)
            row = await cursor.fetchone()
        except Exception:
            broken, self._postgres = self._postgres, None
            with contextlib.suppress(Exception):
                await broken.close()
            raise
        if row is None:
            raise RuntimeError("the change counter row is missing")
        return int(row[0])
