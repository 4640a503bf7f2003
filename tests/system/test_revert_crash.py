"""The server killed (SIGKILL) in the middle of reverting a deploy of 5,000 entities, then
restarted: the collection is as it was before the revert, with no trace of it in history, and
the revert can be repeated; never half of each.

The kill must land where a split revert would show: after the entities were written back and
while the change that records it is being written. PostgreSQL: the history_revision table is
locked, so the revert's first revision INSERT waits inside its transaction, after its entity
writes (checked through its locks). SQLite: a trigger makes each revision insert slow, and the
server is killed while a probe sees its write transaction open, twice as long after it began
as a dry run of the same revert (the same entity writes, no history) took. Had the entities
been committed apart from their history, or the history after the commit, the restarted server
would show the entities reverted and no change, or a change and the entities not."""

from __future__ import annotations

import copy
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from domain.json_document import JsonValue
from entrypoints.container import Container
from tests.system.importing import COLLECTION, broken_references, import_file, prepare_target
from tests.system.servers import Server, running_server

DASHBOARDS = 1000  # four reports each: 5,000 entities
IMPORT = f"/api/public/import?collectionId={COLLECTION}&overwrite=true&source=crash-test"


def renamed(file: list[JsonValue]) -> list[JsonValue]:
    edited = copy.deepcopy(file)
    for entity in edited:
        assert isinstance(entity, dict)
        entity["name"] = f"{entity['name']} (edited)"
    return edited


def state(engine: Engine) -> tuple[list[tuple[str, str]], int]:
    """Every entity's ID and name, and how many changes history holds."""
    with engine.connect() as connection:
        names = connection.execute(
            text("SELECT id, name FROM report UNION ALL SELECT id, name FROM dashboard")
        ).all()
        changes = connection.execute(text("SELECT count(*) FROM history_change")).scalar_one()
    return sorted((str(i), str(n)) for i, n in names), int(changes)


def start_revert(server: Server, change_id: str) -> threading.Thread:
    def send() -> None:
        try:
            with server.client(timeout=180) as client:
                client.post(f"/api/public/change/{change_id}/revert")
        except httpx.TransportError:
            pass  # the server dies under this request; that is the point

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


def _wait_for(condition: Callable[[], bool], request: threading.Thread) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        if time.monotonic() > deadline or not request.is_alive():
            pytest.fail("the revert finished or stalled before it could be caught mid-write")
        time.sleep(0.01)


WAITING_REVERT = text(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' "
    "AND wait_event_type = 'Lock' AND (query ILIKE 'INSERT INTO history_revision%' "
    "OR query ILIKE 'COPY history_revision%')"
)
TABLES_WRITTEN = text(
    "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
    "WHERE l.pid = :pid AND l.granted AND l.mode = 'RowExclusiveLock'"
)


@contextmanager
def _postgres_revert_held_at_history(
    server: Server, engine: Engine, change_id: str
) -> Iterator[set[str]]:
    """The tables the held revert's transaction has written when it waits on history."""
    with engine.connect() as holder, engine.connect() as probe:
        holder.execute(text("LOCK TABLE history_revision IN SHARE MODE"))
        request = start_revert(server, change_id)

        def waiting() -> bool:
            found = probe.execute(WAITING_REVERT).first() is not None
            probe.rollback()
            return found

        _wait_for(waiting, request)
        pid = probe.execute(WAITING_REVERT).scalar_one()
        written = set(probe.execute(TABLES_WRITTEN, {"pid": pid}).scalars())
        probe.rollback()
        yield written
        holder.rollback()


SLOW_REVISIONS = (
    "CREATE TRIGGER crash_test_slow_revisions BEFORE INSERT ON history_revision BEGIN "
    "SELECT count(*) FROM (SELECT 1 FROM report a, report b LIMIT 100000); END"
)


@contextmanager
def _sqlite_revert_held_at_history(
    server: Server, engine: Engine, database: str, change_id: str
) -> Iterator[set[str]]:
    with server.client(timeout=180) as client:
        started = time.monotonic()
        dry = client.post(f"/api/public/change/{change_id}/revert", params={"dryRun": "true"})
        entity_writes = time.monotonic() - started
    assert dry.status_code == 200, dry.text
    with engine.begin() as connection:
        connection.exec_driver_sql(SLOW_REVISIONS)
    request = start_revert(server, change_id)

    def writing() -> bool:
        probe = sqlite3.connect(database, timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
            return False
        except sqlite3.OperationalError:  # locked: the revert's write transaction is open
            return True
        finally:
            probe.close()

    _wait_for(writing, request)
    time.sleep(max(2.0, 2 * entity_writes))  # into the slow revision inserts, after the entities
    assert writing(), "the revert's transaction ended before the kill"
    yield {"report", "dashboard"}


def test_a_server_killed_mid_revert_leaves_all_or_nothing(
    container: Container, database_url: str, tmp_path: Path
) -> None:
    prepare_target(container)
    engine = container.engine()
    first = import_file(DASHBOARDS)
    with running_server(database_url, tmp_path) as server, server.client(timeout=180) as client:
        assert client.post(IMPORT, json=first).status_code == 200
        before_overwrite = state(engine)
        assert client.post(IMPORT, json=renamed(first)).status_code == 200
        change_id = client.get("/api/public/change", params={"limit": 1}).json()[0]["id"]
    overwritten = state(engine)
    assert len(overwritten[0]) == 5 * DASHBOARDS
    database = None if engine.dialect.name == "postgresql" else make_url(database_url).database
    with ExitStack() as stack:
        server = stack.enter_context(running_server(database_url, tmp_path))
        held = (
            _sqlite_revert_held_at_history(server, engine, database, change_id)
            if database
            else _postgres_revert_held_at_history(server, engine, change_id)
        )
        with held as written:
            server.kill()
    assert {"report", "dashboard"} <= written  # the entities were written back, uncommitted
    if database:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP TRIGGER crash_test_slow_revisions")
    assert state(engine) == overwritten
    assert broken_references(engine) == []
    with running_server(database_url, tmp_path) as restarted, restarted.client(180) as client:
        again = client.post(f"/api/public/change/{change_id}/revert")
        assert again.status_code == 200, again.text
    names, changes = state(engine)
    assert (names, changes) == (before_overwrite[0], overwritten[1] + 1)
