"""Scenario 14 (issue 22): what history costs. The big file deployed with overwrite, then again
with every report edited: that overwrite's time against the same two deploys by 691ee79, the last
commit before history, checked out beside this one and run in the same run on a database of its
own; and the revert of that overwrite against the overwrite. Then ten more such overwrites (every
report edited each time), and the size of the database and of its history tables after them.
Each run starts from new databases, so that no run pays for the ones before it."""

from __future__ import annotations

import gc
import json
from contextlib import ExitStack
from pathlib import Path

from benchmarks.checkouts import worktree
from benchmarks.client import HttpResult, request
from benchmarks.databases import Backend, Connection, Database, temporary_database
from benchmarks.results import (
    DATABASE_SIZE,
    EDITED_BEFORE_HISTORY,
    EDITED_WITH_HISTORY,
    HISTORY,
    HISTORY_SIZE,
    REVERT_TIME,
)
from benchmarks.scenarios import Bench, edited_file, prepared_collection

OVERWRITES = 10
BEFORE_HISTORY = "691ee79"
"""The last commit before history: the baseline's code."""


def _sizes(database: Database) -> tuple[int, int]:
    """The database's size and its history tables' size, in bytes."""
    connection = database.connect(autocommit=True)
    try:
        if database.backend is Backend.SQLITE:
            connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            pages = database.query(connection, "PRAGMA page_count")[0][0]
            page_size = database.query(connection, "PRAGMA page_size")[0][0]
            history = database.query(
                connection,
                "SELECT coalesce(sum(length(content)), 0) FROM history_blob",
            )[0][0] + _row_bytes(database, connection)
            return int(pages) * int(page_size), int(history)
        total = database.query(connection, "SELECT pg_database_size(current_database())")[0][0]
        history = database.query(
            connection,
            "SELECT sum(pg_total_relation_size(c)) FROM unnest(ARRAY['history_change', "
            "'history_revision', 'history_blob']::regclass[]) AS c",
        )[0][0]
        return int(total), int(history)
    finally:
        connection.close()


def _row_bytes(database: Database, connection: Connection) -> int:
    """SQLite has no per-table size without dbstat: the revisions' and changes' stored text."""
    rows = database.query(
        connection,
        "SELECT coalesce(sum(length(entity_id) + length(name) + length(body_hash) "
        "+ coalesce(length(xml_hash), 0) + coalesce(length(description), 0) + 40), 0) "
        "FROM history_revision",
    )
    return int(rows[0][0])


def history(bench: Bench, run: int, payload: str) -> str:
    """Scenario 14."""
    record = bench.recorder(HISTORY, payload, run)
    with bench.server() as server:
        body = bench.import_file(payload, server.port)
    edited = edited_file(bench, payload)
    backend, postgres_url = bench.database.backend, bench.options.postgres_url
    with ExitStack() as stack:
        database = stack.enter_context(temporary_database(backend, postgres_url))
        _, code = stack.enter_context(worktree("before-history", BEFORE_HISTORY))
        before_database = stack.enter_context(temporary_database(backend, postgres_url, code=code))
        # In turns, the first alternating from run to run.
        if run % 2:
            before = _edited_overwrite(bench, before_database, payload, body, edited, code=code)
        overwrite, revert = _with_history(bench, database, payload, body, edited)
        if not run % 2:
            before = _edited_overwrite(bench, before_database, payload, body, edited, code=code)
        total, history_bytes = _sizes(database)
    for name, result in (
        (EDITED_WITH_HISTORY, overwrite),
        (REVERT_TIME, revert),
        (EDITED_BEFORE_HISTORY, before),
    ):
        ok = result.status == 200
        record(name, result.seconds if ok else None, "s", "" if ok else result.describe())
    record(DATABASE_SIZE, total, "B")
    record(HISTORY_SIZE, history_bytes, "B")
    return (
        f"overwrite {overwrite.seconds:.2f}s ({BEFORE_HISTORY}: {before.seconds:.2f}s), "
        f"revert {revert.seconds:.2f}s, database {total / 1e6:.1f} MB of which history "
        f"{history_bytes / 1e6:.1f} MB after {OVERWRITES + 2} overwrites"
    )


def _edited_overwrite(
    bench: Bench, database: Database, payload: str, body: bytes, edited: bytes, *, code: Path
) -> HttpResult:
    """691ee79's two deploys, on its own server and database."""
    with bench.server(database, code=code) as server:
        _, edited_deploy = _deployed_then_edited(server.port, payload, body, edited)
        server.check_alive()
    return edited_deploy


def _with_history(
    bench: Bench, database: Database, payload: str, body: bytes, edited: bytes
) -> tuple[HttpResult, HttpResult]:
    """The same two deploys, then the revert of the second, then ten more overwrites."""
    with bench.server(database) as server:
        collection, overwrite = _deployed_then_edited(server.port, payload, body, edited)
        newest = request(
            server.port, "GET", f"/api/public/change?collectionId={collection}&limit=1", b""
        )
        change_id = json.loads(newest.body)[0]["id"] if newest.status == 200 else "?"
        gc.collect()
        revert = request(server.port, "POST", f"/api/public/change/{change_id}/revert", b"")
        for n in range(OVERWRITES):
            again = request(
                server.port, "POST", _deploy(collection), edited if n % 2 == 0 else body
            )
            if again.status != 200:
                raise RuntimeError(f"overwrite {n + 1} answered {again.describe()}")
        server.check_alive()
    return overwrite, revert


def _deployed_then_edited(
    port: int, payload: str, body: bytes, edited: bytes
) -> tuple[str, HttpResult]:
    """The file deployed with overwrite into a new collection, then the timed deploy of the file
    with every report edited: the collection, and that deploy's answer."""
    collection = prepared_collection(port, payload, "history")
    first = request(port, "POST", _deploy(collection), body, keep_body=False)
    if first.status != 200:
        raise RuntimeError(f"the first deploy answered {first.describe()}")
    gc.collect()
    return collection, request(port, "POST", _deploy(collection), edited, keep_body=False)


def _deploy(collection: str) -> str:
    return f"/api/public/import?collectionId={collection}&overwrite=true"
