"""An import's body as `boardport serve` receives it from a raw socket: spooled whole before
it is read, so a body cut short imports nothing, and a Content-Length shorter than what is
sent is the file's end. Loopback only, SQLite."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from entrypoints.container import Container, build_container
from entrypoints.settings import Settings
from tests.conftest import TOKEN
from tests.databases import fresh_sqlite
from tests.system.importing import COLLECTION, import_file, prepare_target, row_counts
from tests.system.servers import Server, running_server

FILE = json.dumps(import_file(2), separators=(",", ":")).encode()
NOTHING = {"report": 0, "combined_report_child": 0, "dashboard": 0, "dashboard_tile": 0}


@pytest.fixture
def database(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[str, Container]]:
    url = fresh_sqlite(sqlite_template, tmp_path)
    container = build_container(Settings(database_url=url, api_access_token=TOKEN))
    prepare_target(container)
    yield url, container
    container.engine().dispose()


def send_raw(server: Server, body: bytes, content_length: int, *, close: bool) -> bytes:
    """Posts `body` under the given Content-Length; with `close`, stops sending after it (the
    client goes away). What the server answered before it closed, if anything."""
    address = urlsplit(server.url)
    head = (
        f"POST /api/public/import?collectionId={COLLECTION} HTTP/1.1\r\n"
        f"Host: {address.hostname}\r\nAuthorization: Bearer {TOKEN}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {content_length}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((address.hostname, address.port), timeout=60) as connection:
        connection.sendall(head + body)
        if close:
            connection.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


def test_a_body_cut_short_of_its_content_length_imports_nothing(
    database: tuple[str, Container], tmp_path: Path
) -> None:
    url, container = database
    with running_server(url, tmp_path) as server:
        send_raw(server, FILE[: len(FILE) // 2], len(FILE), close=True)
        assert row_counts(container.engine()) == NOTHING
        with server.client() as http:  # the server is still up and imports a whole body
            answer = http.post(f"/api/public/import?collectionId={COLLECTION}", content=FILE)
    assert answer.status_code == 200, answer.text
    assert row_counts(container.engine())["report"] == 8


def test_a_content_length_shorter_than_the_body_ends_the_file_there(
    database: tuple[str, Container], tmp_path: Path
) -> None:
    url, container = database
    with running_server(url, tmp_path) as server:
        answer = send_raw(server, FILE, len(FILE) - 10, close=False)
        status, _, rest = answer.partition(b"\r\n")
        assert status.startswith(b"HTTP/1.1 400"), answer[:300]
        assert b"importFileInvalid" in rest
        with server.client() as http:
            assert http.get("/api/readyz").status_code == httpx.codes.OK
    assert row_counts(container.engine()) == NOTHING
