from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from adapters.sqlmodel.bulk_insert import copy_row, copy_rows

SQLITE_BUSY_TIMEOUT_MS = 5000
POSTGRES_CONNECT_TIMEOUT_S = 5


def normalize_database_url(url: str) -> URL:
    """Accepts the spellings people paste (`postgres://`, `postgresql://`) and settles on the
    psycopg 3 driver, which is the one boardport ships."""
    parsed = make_url(url)
    if parsed.drivername in {"postgres", "postgresql"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_database_engine(url: str, **options: Any) -> Engine:
    # Bound parameters are user data (report JSON, names); errors and logs must not carry them.
    options.setdefault("hide_parameters", True)
    parsed = normalize_database_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, **options)
    if parsed.get_backend_name() == "postgresql":
        connect_args = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}
        engine = create_engine(parsed, pool_pre_ping=True, connect_args=connect_args, **options)
        event.listen(engine, "do_executemany", copy_rows)
        event.listen(engine, "do_execute", copy_row)
        return engine
    raise ValueError(
        f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql"
    )


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, class_=Session, expire_on_commit=False, autoflush=False)


def _sqlite_engine(url: URL, **options: Any) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that a unit
        # of work's reads and writes form one transaction and one snapshot.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        # Readers and the writer never wait for each other: an export holds its snapshot until
        # its last block is sent, and an import's writes would otherwise wait for it to end.
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return  # each statement on its own, seeing the latest commit
        mode = options.get("boardport_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def describe_database(url: str) -> str:
    """Where the database is, for a start-up line: a SQLite file's absolute path, or the URL
    with its password hidden."""
    parsed = normalize_database_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return f"sqlite {Path(parsed.database).resolve()}"
    return parsed.render_as_string(hide_password=True)
