"""Failed imports leave no spool file behind: `boardport serve` runs with TMPDIR pointed at a
directory of the test's own, and after each failing import (an invalid file, an unknown
collection, a scope conflict, a database failure, a client gone mid-body) the directory is
empty and the server holds no descriptor to a spool file or to any deleted file. Loopback only,
SQLite and PostgreSQL."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy import Engine, text

from application.use_cases.register_definition import DefinitionRequest
from entrypoints.container import Container
from tests.builders.wire import process_report_entity
from tests.conftest import TOKEN
from tests.system.importing import COLLECTION, import_file, prepare_target, row_counts
from tests.system.servers import Server, running_server

FILE = json.dumps(import_file(2)).encode()
NOTHING = {"report": 0, "combined_report_child": 0, "dashboard": 0, "dashboard_tile": 0}
SETTLE_SECONDS = 30.0
"""A bound, not an expectation: how long a server may take to finish a request it was sent."""


def open_files(server: Server) -> list[str]:
    """Where each descriptor of the server's processes (its session: every worker) points."""
    group = server.process.pid
    targets = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != group:
                continue
            for descriptor in (entry / "fd").iterdir():
                targets.append(str(descriptor.readlink()))
        except (FileNotFoundError, ProcessLookupError):
            continue  # a process or descriptor that ended while it was read
    return targets


def leftovers(server: Server, spool: Path) -> list[str]:
    """Spool files in the directory, and descriptors to it or to a deleted file."""
    held = [t for t in open_files(server) if t.startswith(str(spool)) or t.endswith("(deleted)")]
    return sorted(p.name for p in spool.iterdir()) + held


def settled(server: Server, spool: Path) -> list[str]:
    """What is left once the server has finished with what it was sent (within a bound)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while (left := leftovers(server, spool)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def send_half_and_go(server: Server, spool: Path) -> None:
    """Sends the head and half the body of an import, waits until the server spools it into
    `spool` (so the test knows where spool files go), then closes the connection."""
    address = urlsplit(server.url)
    head = (
        f"POST /api/public/import?collectionId={COLLECTION} HTTP/1.1\r\n"
        f"Host: {address.hostname}\r\nAuthorization: Bearer {TOKEN}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(FILE)}\r\n\r\n"
    ).encode()
    with socket.create_connection((address.hostname, address.port), timeout=60) as connection:
        connection.sendall(head + FILE[: len(FILE) // 2])
        deadline = time.monotonic() + SETTLE_SECONDS
        while not any(t.startswith(str(spool)) for t in open_files(server)):
            assert time.monotonic() < deadline, "the server never spooled the body into TMPDIR"
            time.sleep(0.05)


@contextmanager
def refusing_dashboards(engine: Engine) -> Iterator[None]:
    """The database fails every dashboard insert, after the import has written its reports."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(
                text(
                    "CREATE TRIGGER refuse_dashboards BEFORE INSERT ON dashboard "
                    "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
                )
            )
        else:
            connection.execute(
                text(
                    "CREATE FUNCTION refuse_dashboards() RETURNS trigger AS $$ BEGIN "
                    "RAISE EXCEPTION 'injected failure' USING ERRCODE = '53100'; END $$ "
                    "LANGUAGE plpgsql"
                )
            )
            connection.execute(
                text(
                    "CREATE TRIGGER refuse_dashboards BEFORE INSERT ON dashboard "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_dashboards()"
                )
            )
    try:
        yield
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TRIGGER refuse_dashboards" + _on(engine)))
            if engine.dialect.name != "sqlite":
                connection.execute(text("DROP FUNCTION refuse_dashboards()"))


def _on(engine: Engine) -> str:
    return "" if engine.dialect.name == "sqlite" else " ON dashboard"


def post(server: Server, query: str, body: bytes) -> httpx.Response:
    with server.client() as http:
        return http.post(
            f"/api/public/import?{query}",
            content=body,
            headers={"Content-Type": "application/json"},
        )


def test_no_failed_import_leaves_a_spool_file_or_descriptor(
    container: Container, database_url: str, tmp_path: Path
) -> None:
    prepare_target(container)
    container.register_definition()(
        DefinitionRequest(type="process", key="order", name="Order", version="1")
    )
    out_of_scope = json.dumps([process_report_entity("o1", key="order")]).encode()
    engine = container.engine()
    spool = tmp_path / "spool"
    spool.mkdir()
    into = f"collectionId={COLLECTION}"
    failures = {  # the query, the body, the answer's status
        "an invalid file": (into, FILE[:-1], 400),
        "an unknown collection": ("collectionId=nope", FILE, 404),
        "a scope conflict": (into, out_of_scope, 409),
    }
    with running_server(database_url, tmp_path, settings={"TMPDIR": str(spool)}) as server:
        assert settled(server, spool) == []  # nothing of the kind held at the start
        for kind, (query, body, status) in failures.items():
            answer = post(server, query, body)
            assert answer.status_code == status, (kind, answer.text)
            assert settled(server, spool) == [], kind
        with refusing_dashboards(engine):
            answer = post(server, into, FILE)
        # SQLite: a constraint the server did not expect (500); PostgreSQL: a full disk (503).
        assert (answer.status_code, answer.json()["errorCode"]) in {
            (500, "serverError"),
            (503, "serviceUnavailableError"),
        }, answer.text
        assert settled(server, spool) == [], "a database failure"
        send_half_and_go(server, spool)
        assert settled(server, spool) == [], "a client gone mid-body"
        assert row_counts(engine) == NOTHING
        done = post(server, into, FILE)  # the server still imports
        assert done.status_code == 200, done.text
        assert settled(server, spool) == [], "a successful import"
