"""Test databases: SQLite files and PostgreSQL databases that a test run creates and drops.

A missing PostgreSQL skips its tests with the reason shown, except under CI=true, where it fails.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from adapters.sqlmodel.engine import create_database_engine
from adapters.sqlmodel.migrate import upgrade_database

POSTGRES_ADMIN_URL = os.environ.get(
    "BOARDPORT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TABLES = (
    "dashboard_tile",
    "dashboard",
    "combined_report_child",
    "report",
    "collection_scope",
    "collection",
    "definition",
    "setting",
    "idempotency_key",
    "web_session",
    "pending_import",
    "sign_in_failure",
    "history_revision",
    "history_blob",
    "history_change",
)


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> None:
    """Skips locally, fails under CI: CI must prove every database it claims."""
    if under_ci():
        pytest.fail(f"{reason} (CI=true, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


@contextmanager
def postgres_database(prefix: str = "boardport_test") -> Iterator[URL | None]:
    """A new, empty PostgreSQL database, dropped afterwards; None when the server is unreachable."""
    admin = create_engine(make_url(POSTGRES_ADMIN_URL), isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError:
        admin.dispose()
        yield None
        return
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def migrated_sqlite_template(folder: Path) -> Path:
    path = folder / "template.sqlite3"
    engine = create_database_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    engine.dispose()
    return path


def fresh_sqlite(template: Path, folder: Path) -> str:
    target = folder / "boardport.sqlite3"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def truncate_all(url: URL) -> None:
    engine = create_database_engine(url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} CASCADE"))
        connection.execute(text("UPDATE change_counter SET value = 0"))
    engine.dispose()


def begins_with(statement: str, prefix: str) -> bool:
    """Whether `statement` begins with `prefix` (upper case). A prefix `INSERT INTO t ` also
    matches `COPY t `: PostgreSQL's bulk inserts are COPY statements (adapters' `insert_rows`)."""
    text = statement.lstrip().upper()
    if prefix.startswith("INSERT INTO "):
        return text.startswith((prefix, "COPY " + prefix.removeprefix("INSERT INTO ")))
    return text.startswith(prefix)


@contextmanager
def statements_run(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements `engine` runs while the block runs, without transaction control."""
    run: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.startswith(("BEGIN", "SET", "COMMIT", "ROLLBACK")):
            run.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield run
    finally:
        event.remove(engine, "before_cursor_execute", seen)
