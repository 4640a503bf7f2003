"""Eight clients send one plain import with one Idempotency-Key at once against `boardport serve`
on PostgreSQL: exactly one import, whatever the timing. Each answer is the import's own (200),
the same bytes replayed (200, Idempotent-Replayed), or "still running" (409, Retry-After), and a
retry after that gets the kept answer. Loopback only.

A plain import is the hard case: without the key, every one of them would create copies."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import URL

from entrypoints.container import Container
from tests.conftest import TOKEN
from tests.system.importing import (
    COLLECTION,
    broken_references,
    import_file,
    prepare_target,
    row_counts,
)
from tests.system.servers import running_server
from tests.system.test_overwrite_race import postgres_container  # noqa: F401 - a fixture

pytestmark = pytest.mark.postgres

CLIENTS = 8
FILE = json.dumps(import_file(3)).encode()
PATH = f"/api/public/import?collectionId={COLLECTION}"
HEADERS = {"Content-Type": "application/json", "Idempotency-Key": "race-1"}


def test_eight_clients_sending_one_key_at_once_import_once(
    postgres_container: Container,  # noqa: F811 - the fixture imported above
    postgres_url: URL,
    tmp_path: Path,
) -> None:
    prepare_target(postgres_container)
    url = postgres_url.render_as_string(hide_password=False)
    start = threading.Barrier(CLIENTS)
    answers: list[httpx.Response | BaseException] = [RuntimeError("did not run")] * CLIENTS

    def send(index: int, server_url: str) -> None:
        with httpx.Client(
            base_url=server_url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120
        ) as http:
            start.wait()
            try:
                answers[index] = http.post(PATH, content=FILE, headers=HEADERS)
            except BaseException as error:  # noqa: BLE001 - the test judges every outcome
                answers[index] = error

    with running_server(url, tmp_path) as server:
        clients = [threading.Thread(target=send, args=(i, server.url)) for i in range(CLIENTS)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=180)
        assert not any(c.is_alive() for c in clients), "a client hung"
        with server.client() as http:
            retried = http.post(PATH, content=FILE, headers=HEADERS)

    responses = [a for a in answers if isinstance(a, httpx.Response)]
    assert len(responses) == CLIENTS, answers
    assert {r.status_code for r in responses} <= {200, 409}, [r.text for r in responses]
    first = [
        r for r in responses if r.status_code == 200 and "Idempotent-Replayed" not in r.headers
    ]
    assert len(first) == 1  # one import, and only one
    for waited in (r for r in responses if r.status_code == 409):
        assert waited.json()["errorCode"] == "idempotencyKeyInProgress"
        assert waited.headers["Retry-After"] == "1"
    assert {r.content for r in responses if r.status_code == 200} == {first[0].content}
    assert retried.status_code == 200
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.content == first[0].content
    engine = postgres_container.engine()
    assert row_counts(engine)["dashboard"] == 3
    assert broken_references(engine) == []
