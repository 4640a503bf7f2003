"""The server killed (SIGKILL) in the middle of a large import, then restarted: the database is
consistent, nothing points at anything missing, and the import can be repeated."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from entrypoints.container import Container
from tests.system.importing import (
    COLLECTION,
    broken_references,
    import_file,
    prepare_target,
    row_counts,
)
from tests.system.servers import Server, running_server

DASHBOARDS = 600
FILE = import_file(DASHBOARDS)
EMPTY = {"report": 0, "combined_report_child": 0, "dashboard": 0, "dashboard_tile": 0}
FULL = {
    "report": 4 * DASHBOARDS,
    "combined_report_child": 2 * DASHBOARDS,
    "dashboard": DASHBOARDS,
    "dashboard_tile": 3 * DASHBOARDS,
}


def writing_now(engine: Engine, database_url: str) -> bool:
    """True once the import's transaction has started writing rows it has not committed."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            active = connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND state = 'active' AND query ILIKE 'INSERT INTO%'"
                )
            ).scalar_one()
        return bool(active)
    wal = Path(f"{make_url(database_url).database}-wal")
    # Rows beyond SQLite's page cache spill into the WAL before the commit.
    return wal.exists() and wal.stat().st_size > 4 * 1024 * 1024


def start_import(server: Server) -> threading.Thread:
    def send() -> None:
        try:
            with server.client(timeout=120) as client:
                client.post(f"/api/public/import?collectionId={COLLECTION}", json=FILE)
        except httpx.TransportError:
            pass  # the server dies under this request; that is the point

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


def test_a_server_killed_mid_import_restarts_consistent_and_the_import_can_be_repeated(
    container: Container, database_url: str, tmp_path: Path
) -> None:
    prepare_target(container)
    engine = container.engine()
    with running_server(database_url, tmp_path) as server:
        request = start_import(server)
        deadline = time.monotonic() + 60
        while not writing_now(engine, database_url):
            if time.monotonic() > deadline or not request.is_alive():
                pytest.fail("the import finished or stalled before it could be caught mid-write")
            time.sleep(0.005)
        server.kill()
        request.join(timeout=10)
    assert row_counts(engine) == EMPTY
    with running_server(database_url, tmp_path) as restarted, restarted.client() as client:
        assert client.get("/api/readyz").status_code == 200
        assert row_counts(engine) == EMPTY
        assert broken_references(engine) == []
        repeated = client.post(f"/api/public/import?collectionId={COLLECTION}", json=FILE)
        assert repeated.status_code == 200, repeated.text
    assert row_counts(engine) == FULL
    assert broken_references(engine) == []
