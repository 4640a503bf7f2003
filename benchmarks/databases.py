"""The databases the harness creates, migrates with `boardport db upgrade`, and drops at the end,
and plain driver connections to them (sqlite3, psycopg: no ORM) for loading data and for the
floor programs."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

from benchmarks.paths import work_dir
from benchmarks.servers import run_cli


class Backend(StrEnum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"


class Cursor(Protocol):
    def execute(self, query: Any, params: Any = ..., /) -> Any: ...
    def executemany(self, query: Any, params_seq: Any, /) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def fetchone(self) -> Any: ...


class Connection(Protocol):
    """What sqlite3 and psycopg connections have in common, as the harness uses them."""

    def cursor(self) -> Any: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Database:
    backend: Backend
    url: str
    """The SQLAlchemy URL, as `BOARDPORT_DATABASE_URL`."""
    sqlite_path: Path | None = None
    conninfo: str | None = None

    @property
    def placeholder(self) -> str:
        return "?" if self.backend is Backend.SQLITE else "%s"

    def sql(self, statement: str) -> str:
        """`statement` written with `?` placeholders, in the driver's own style."""
        return statement if self.backend is Backend.SQLITE else statement.replace("?", "%s")

    def id_filter(self, column: str) -> str:
        """`column` among a set of IDs bound as one parameter (see `id_parameter`), as boardport
        itself queries, so ten thousand IDs are one short statement."""
        if self.backend is Backend.SQLITE:
            return f"{column} IN (SELECT value FROM json_each(?))"
        return f"{column} = ANY(%s)"

    def id_parameter(self, ids: Collection[str]) -> object:
        return json.dumps(list(ids)) if self.backend is Backend.SQLITE else list(ids)

    def connect(self, *, autocommit: bool = False) -> Connection:
        """A driver connection. In manual-commit mode (the default) the first statement begins a
        transaction on PostgreSQL; on SQLite call `begin()`, as boardport does. With
        `autocommit` every statement sees the latest committed state."""
        if self.backend is Backend.SQLITE:
            assert self.sqlite_path is not None
            connection = sqlite3.connect(self.sqlite_path, isolation_level=None)
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA busy_timeout = 5000")
            connection.execute("PRAGMA synchronous = NORMAL")
            return connection
        assert self.conninfo is not None
        return psycopg.connect(self.conninfo, autocommit=autocommit)

    def insert_many(
        self, connection: Connection, insert: str, rows: Iterable[Sequence[object]]
    ) -> None:
        """Runs `insert` (`INSERT INTO t (columns) VALUES (?, ...)`) once per row, the cheapest
        way the driver has: `executemany` on SQLite, `COPY t (columns) FROM STDIN` on
        PostgreSQL, as boardport's own bulk inserts do."""
        cursor = connection.cursor()
        if self.backend is Backend.SQLITE:
            cursor.executemany(insert, rows)
            return
        target = insert.removeprefix("INSERT INTO ").split(" VALUES ", 1)[0]
        with cursor.copy(f"COPY {target} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def begin(self, connection: Connection, *, writing: bool = False) -> None:
        if self.backend is Backend.SQLITE:
            connection.cursor().execute("BEGIN IMMEDIATE" if writing else "BEGIN")

    def query(
        self, connection: Connection, statement: str, params: Sequence[object] = ()
    ) -> list[Any]:
        cursor = connection.cursor()
        cursor.execute(self.sql(statement), tuple(params))
        rows: list[Any] = cursor.fetchall()
        return rows

    def version(self) -> str:
        if self.backend is Backend.SQLITE:
            return f"SQLite {sqlite3.sqlite_version}"
        connection = self.connect()
        try:
            row = self.query(connection, "SHOW server_version")[0]
            return f"PostgreSQL {row[0]}"
        finally:
            connection.close()


def libpq_conninfo(url: str, database: str | None = None) -> str:
    parsed = make_url(url)
    parts: dict[str, Any] = {
        "host": parsed.host,
        "port": parsed.port,
        "user": parsed.username,
        "password": parsed.password,
        "dbname": database or parsed.database,
        "connect_timeout": 5,
    }
    return make_conninfo(**{k: v for k, v in parts.items() if v is not None})


@contextlib.contextmanager
def temporary_database(
    backend: Backend, postgres_url: str, *, code: Path | None = None
) -> Iterator[Database]:
    """A new database migrated by `boardport db upgrade` (of the checkout `code`, when given),
    removed afterwards however the block ends. PostgreSQL databases are named
    boardport_bench_<pid>_<random>."""
    if backend is Backend.SQLITE:
        path = work_dir("db") / f"bench-{os.getpid()}-{uuid.uuid4().hex[:8]}.sqlite3"
        database = Database(backend, f"sqlite:///{path}", sqlite_path=path)
        try:
            run_cli(database.url, "db", "upgrade", code=code)
            yield database
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = f"boardport_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = libpq_conninfo(postgres_url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        url = make_url(postgres_url).set(drivername="postgresql+psycopg", database=name)
        database = Database(
            backend,
            url.render_as_string(hide_password=False),
            conninfo=libpq_conninfo(postgres_url, name),
        )
        run_cli(database.url, "db", "upgrade", code=code)
        yield database
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
