"""Eight clients deploy the same file with overwrite at once against `boardport serve` on
PostgreSQL: one copy in the end, never two, and no 5xx. Loopback only.

One worker process: it runs each request in a thread of its own, on a database connection of its
own, so the eight imports meet in the database as they would from several processes. (Several
workers are what test_concurrency.py runs; on a loaded machine uvicorn restarts workers that
start slowly, which would test the machine, not the import.)"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL

from entrypoints.container import Container, build_container
from entrypoints.settings import Settings
from tests.conftest import TOKEN
from tests.databases import truncate_all
from tests.system.importing import (
    COLLECTION,
    broken_references,
    import_file,
    prepare_target,
    row_counts,
)
from tests.system.servers import running_server

pytestmark = pytest.mark.postgres

CLIENTS = 8
WORKERS = 1
FILE = json.dumps(import_file(3)).encode()


@pytest.fixture
def postgres_container(postgres_url: URL) -> Iterator[Container]:
    truncate_all(postgres_url)
    url = postgres_url.render_as_string(hide_password=False)
    container = build_container(Settings(database_url=url, api_access_token=TOKEN))
    yield container
    container.engine().dispose()
    truncate_all(postgres_url)


def test_eight_clients_deploying_one_file_at_once_leave_one_copy(
    postgres_container: Container,
    postgres_url: URL,
    tmp_path: Path,
) -> None:
    prepare_target(postgres_container)
    url = postgres_url.render_as_string(hide_password=False)
    start = threading.Barrier(CLIENTS)
    answers: list[httpx.Response | BaseException] = [RuntimeError("did not run")] * CLIENTS

    def deploy(index: int, server_url: str) -> None:
        with httpx.Client(
            base_url=server_url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120
        ) as http:
            start.wait()
            try:
                answers[index] = http.post(
                    f"/api/public/import?collectionId={COLLECTION}&overwrite=true",
                    content=FILE,
                    headers={"Content-Type": "application/json"},
                )
            except BaseException as error:  # noqa: BLE001 - the test judges every outcome
                answers[index] = error

    with running_server(url, tmp_path, workers=WORKERS) as server:
        clients = [threading.Thread(target=deploy, args=(i, server.url)) for i in range(CLIENTS)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=180)
        assert not any(c.is_alive() for c in clients), "a client hung"

    statuses = [a.status_code if isinstance(a, httpx.Response) else repr(a) for a in answers]
    assert statuses == [200] * CLIENTS, [
        a.text if isinstance(a, httpx.Response) else a for a in answers
    ]
    bodies = [a.json() for a in answers if isinstance(a, httpx.Response)]
    actions = sorted(",".join(sorted({i["action"] for i in body})) for body in bodies)
    assert actions == ["created"] + ["unchanged"] * (CLIENTS - 1)
    ids = {tuple(i["id"] for i in body) for body in bodies}
    assert len(ids) == 1  # every client was told the same entities
    engine = postgres_container.engine()
    assert row_counts(engine) == {
        "report": 12,
        "combined_report_child": 6,
        "dashboard": 3,
        "dashboard_tile": 9,
    }
    with engine.connect() as connection:
        sources = connection.execute(
            text("SELECT count(DISTINCT source_id) FROM report WHERE collection_id = :c"),
            {"c": COLLECTION},
        ).scalar_one()
    assert sources == 12
    assert broken_references(engine) == []
