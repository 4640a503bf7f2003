"""Faults during an import: the database is left as it was, the client gets a JSON 5xx, and a
retry succeeds. On SQLite and PostgreSQL, with the real adapters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from dependency_injector import providers
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError

from entrypoints.asgi import create_app
from entrypoints.container import Container
from tests.conftest import AUTH
from tests.databases import POSTGRES_ADMIN_URL, begins_with
from tests.system.importing import (
    COLLECTION,
    broken_references,
    import_file,
    prepare_target,
    row_counts,
)

FILE = import_file(40)
EMPTY = {"report": 0, "combined_report_child": 0, "dashboard": 0, "dashboard_tile": 0}
FULL = {"report": 160, "combined_report_child": 80, "dashboard": 40, "dashboard_tile": 120}
Fault = Callable[[Any, Any, Any], None]


@contextmanager
def fault_on_first(engine: Engine, table: str, fault: Fault) -> Iterator[list[str]]:
    """Runs `fault(connection, cursor, dbapi_connection)` just before the first INSERT into
    `table`, after the import has already written to other tables."""
    fired: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *_: object) -> None:
        if not fired and begins_with(statement, f"INSERT INTO {table.upper()} "):
            fired.append(statement)
            fault(conn, cursor, conn.connection.dbapi_connection)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield fired
    finally:
        event.remove(engine, "before_cursor_execute", before)


def drop_the_connection(_conn: Any, _cursor: Any, dbapi: Any) -> None:
    if hasattr(dbapi, "info"):  # psycopg: the server ends this backend, as a network cut would
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(
                text("SELECT pg_terminate_backend(:pid)"), {"pid": dbapi.info.backend_pid}
            )
        admin.dispose()
    else:  # sqlite3: the connection goes away under the transaction
        dbapi.close()


def fill_the_disk(_conn: Any, cursor: Any, dbapi: Any) -> None:
    if hasattr(dbapi, "info"):
        raise OperationalError(
            "INSERT", {}, OSError(28, "could not extend file: No space left on device")
        )
    # SQLite: cap the file at its current size, so the next pages cannot be written.
    pages = cursor.execute("PRAGMA page_count").fetchone()[0]
    cursor.execute(f"PRAGMA max_page_count = {pages}")


@pytest.fixture
def client(container: Container) -> Iterator[TestClient[Litestar]]:
    prepare_target(container)
    with TestClient(create_app(container)) as test_client:
        yield test_client


def post_import(client: TestClient[Litestar]) -> Any:
    return client.post(f"/api/public/import?collectionId={COLLECTION}", json=FILE, headers=AUTH)


@pytest.mark.parametrize(
    ("fault", "table"),
    [
        (drop_the_connection, "dashboard"),
        (drop_the_connection, "combined_report_child"),
        (fill_the_disk, "dashboard_tile"),
    ],
    ids=["connection-dropped-before-dashboards", "connection-dropped-mid-reports", "disk-full"],
)
def test_a_database_failure_mid_import_changes_nothing_and_a_retry_succeeds(
    container: Container,
    client: TestClient[Litestar],
    fault: Fault,
    table: str,
) -> None:
    engine = container.engine()
    with fault_on_first(engine, table, fault) as fired:
        failed = post_import(client)
    assert fired, "the fault was never injected"
    assert failed.status_code in {500, 503}
    assert failed.json()["errorCode"] in {"serverError", "serviceUnavailableError"}
    assert "Traceback" not in failed.text
    if fault is fill_the_disk and engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA max_page_count = 1073741823")
        engine.dispose()  # the capped connection goes; new ones have room again
    assert row_counts(engine) == EMPTY
    retried = post_import(client)
    assert retried.status_code == 200, retried.text
    assert row_counts(engine) == FULL
    assert broken_references(engine) == []


def test_a_constraint_violation_mid_import_changes_nothing(
    container: Container,
    client: TestClient[Litestar],
) -> None:
    with container.engine().begin() as connection:
        connection.execute(
            text(
                "INSERT INTO dashboard (id, name, available_filters, created) "
                "VALUES ('clash', 'in the way', '[]', CURRENT_TIMESTAMP)"
            )
        )
    # Entities come five to a dashboard (three reports, a combined one, the dashboard), so the
    # hundredth new ID is the twentieth dashboard's: the import has written reports by then.
    ids = iter([f"n{i}" for i in range(99)] + ["clash"] + [f"m{i}" for i in range(100)])
    container.ids.override(providers.Object(type("Ids", (), {"new_id": lambda _: next(ids)})()))
    try:
        failed = post_import(client)
    finally:
        container.ids.reset_override()
    assert failed.status_code == 500
    assert failed.json()["errorCode"] == "serverError"
    assert row_counts(container.engine())["report"] == 0
    assert post_import(client).status_code == 200
