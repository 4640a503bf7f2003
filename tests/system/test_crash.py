"""The server killed (SIGKILL) in the middle of a large import, then restarted: the database is
consistent, nothing points at anything missing, and the import can be repeated.

The kill must land where a split import would show: after the first table's rows are written
and before the transaction ends. An import writes reports first and dashboards last, so the
import is held once its dashboards are being written (PostgreSQL: its first dashboard INSERT
waits on a table lock; SQLite: the server is paused with SIGSTOP), the point is checked while
it cannot move on, and only then is the server killed. Had the reports been committed on their
own, as a second transaction would, they would survive the kill, and the checks would say so."""

from __future__ import annotations

import copy
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from domain.json_document import JsonValue
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
# Only the dashboards' text tiles carry this, so seeing it written means the dashboards are.
LATER_TABLE_MARKER = "written-after-every-report"
TILE_TEXT = LATER_TABLE_MARKER + "y" * 6000  # dashboards outweigh the page cache, so they spill


def _crash_file() -> list[JsonValue]:
    entities = copy.deepcopy(import_file(DASHBOARDS))
    for entity in entities:
        assert isinstance(entity, dict)
        tiles = entity.get("tiles")
        if isinstance(tiles, list):
            for tile in tiles:
                assert isinstance(tile, dict)
                if tile["type"] == "text":
                    tile["configuration"] = {"text": {"root": {"type": "root", "text": TILE_TEXT}}}
    return entities


FILE = _crash_file()
REPORT_BYTES = sum(
    len(str(e.get("data"))) for e in FILE if isinstance(e, dict) and e.get("data") is not None
)
EMPTY = {"report": 0, "combined_report_child": 0, "dashboard": 0, "dashboard_tile": 0}
FULL = {
    "report": 4 * DASHBOARDS,
    "combined_report_child": 2 * DASHBOARDS,
    "dashboard": DASHBOARDS,
    "dashboard_tile": 3 * DASHBOARDS,
}


@dataclass(frozen=True)
class Point:
    """Where the paused import stands."""

    past_the_reports: bool  # its transaction wrote the reports and is writing the dashboards
    transaction_open: bool  # that transaction has not ended
    committed_reports: int  # reports another connection can see


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


def _wait_for(condition: Callable[[], bool], request: threading.Thread) -> None:
    deadline = time.monotonic() + 90
    while not condition():
        if time.monotonic() > deadline or not request.is_alive():
            pytest.fail("the import finished or stalled before it could be caught mid-write")
        time.sleep(0.005)


WAITING_IMPORT = text(
    "SELECT pid, xact_start IS NOT NULL FROM pg_stat_activity "
    "WHERE datname = current_database() AND state = 'active' AND wait_event_type = 'Lock' "
    "AND (query ILIKE 'INSERT INTO dashboard%' OR query ILIKE 'COPY dashboard%' "
    "OR query ILIKE 'UPDATE dashboard%')"
)
TABLES_WRITTEN = text(
    "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
    "WHERE l.pid = :pid AND l.granted AND l.mode = 'RowExclusiveLock'"
)


@contextmanager
def _postgres_import_held_at_dashboards(server: Server, engine: Engine) -> Iterator[Point]:
    """PostgreSQL: the dashboard table locked against writers, so the import's first dashboard
    statement waits, inside its transaction; the tables that transaction has written hold its
    ROW EXCLUSIVE locks. The lock is let go only after the server is killed."""
    with engine.connect() as holder, engine.connect() as probe:
        holder.execute(text("LOCK TABLE dashboard IN SHARE MODE"))
        request = start_import(server)

        def waiting() -> bool:
            # pg_stat_activity is read once per transaction: a fresh one for every look.
            found = probe.execute(WAITING_IMPORT).first() is not None
            probe.rollback()
            return found

        _wait_for(waiting, request)
        pid, transaction_open = probe.execute(WAITING_IMPORT).one()
        written = set(probe.execute(TABLES_WRITTEN, {"pid": pid}).scalars())
        probe.rollback()
        committed = probe.execute(text("SELECT count(*) FROM report")).scalar_one()
        probe.rollback()
        yield Point({"report", "combined_report_child"} <= written, transaction_open, committed)
        holder.rollback()
        # The waiting backend goes on, finds its client gone, and rolls back.
        _wait_until_gone(probe, pid)


def _wait_until_gone(probe: Connection, pid: int) -> None:
    deadline = time.monotonic() + 30
    alive = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
    while probe.execute(alive, {"pid": pid}).scalar_one():
        probe.rollback()
        assert time.monotonic() < deadline, "the killed server's backend never ended"
        time.sleep(0.05)
    probe.rollback()


def _sqlite_point(database: str) -> Point:
    wal = Path(f"{database}-wal").read_bytes()
    probe = sqlite3.connect(database, timeout=0)
    try:
        committed = probe.execute("SELECT count(*) FROM report").fetchone()[0]
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
            locked = False
        except sqlite3.OperationalError:  # database is locked: a writer is in its transaction
            locked = True
    finally:
        probe.close()
    return Point(LATER_TABLE_MARKER.encode() in wal, locked, committed)


# SQLite has no table lock to wait on; a trigger makes each tile insert slow instead (a bounded
# self-join of the reports just written), so the dashboards' phase lasts seconds, not
# milliseconds, and the pause below cannot miss it on an idle machine.
SLOW_TILES = (
    "CREATE TRIGGER crash_test_slow_tiles BEFORE INSERT ON dashboard_tile BEGIN "
    "SELECT count(*) FROM (SELECT 1 FROM report a, report b LIMIT 100000); END"
)


@contextmanager
def _slow_tile_inserts(engine: Engine) -> Iterator[None]:
    with engine.begin() as connection:
        connection.exec_driver_sql(SLOW_TILES)
    try:
        yield
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP TRIGGER crash_test_slow_tiles")


@contextmanager
def _sqlite_import_held_at_dashboards(server: Server, database: str) -> Iterator[Point]:
    """SQLite: rows beyond the page cache spill into the WAL before the commit. Once the WAL
    is larger than the reports, the server is paused (SIGSTOP) and the WAL searched for the
    marker of the dashboards' text tiles; too early, it goes on."""
    wal = Path(f"{database}-wal")
    request = start_import(server)
    while True:
        _wait_for(lambda: wal.exists() and wal.stat().st_size > REPORT_BYTES, request)
        os.killpg(server.process.pid, signal.SIGSTOP)
        point = _sqlite_point(database)
        if point.past_the_reports or not point.transaction_open:
            break
        os.killpg(server.process.pid, signal.SIGCONT)
        time.sleep(0.05)
    yield point


def test_a_server_killed_mid_import_restarts_consistent_and_the_import_can_be_repeated(
    container: Container, database_url: str, tmp_path: Path
) -> None:
    prepare_target(container)
    engine = container.engine()
    database = None if engine.dialect.name == "postgresql" else make_url(database_url).database
    with ExitStack() as slowed:
        if database:
            slowed.enter_context(_slow_tile_inserts(engine))
        with running_server(database_url, tmp_path) as server:
            held = (
                _sqlite_import_held_at_dashboards(server, database)
                if database
                else _postgres_import_held_at_dashboards(server, engine)
            )
            with held as point:
                server.kill()
    # Where the kill fired: the reports written, the dashboards being written, in one
    # transaction that had not ended, nothing of it committed.
    assert point == Point(past_the_reports=True, transaction_open=True, committed_reports=0)
    assert row_counts(engine) == EMPTY
    with running_server(database_url, tmp_path) as restarted, restarted.client() as client:
        assert client.get("/api/readyz").status_code == 200
        assert row_counts(engine) == EMPTY
        assert broken_references(engine) == []
        repeated = client.post(f"/api/public/import?collectionId={COLLECTION}", json=FILE)
        assert repeated.status_code == 200, repeated.text
    assert row_counts(engine) == FULL
    assert broken_references(engine) == []
