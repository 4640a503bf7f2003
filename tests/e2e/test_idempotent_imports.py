"""An import sent with an `Idempotency-Key`, through the HTTP API on SQLite and PostgreSQL: a
retry gets the first answer byte for byte and writes nothing, another request with the key is
refused, a refusal or a dry run keeps nothing, and the answer is kept in the import's own
transaction, so that no failure can leave an import without its answer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from entrypoints.asgi import create_app
from entrypoints.container import Container, build_container
from entrypoints.settings import Settings
from tests.conftest import AUTH, TOKEN
from tests.databases import truncate_all
from tests.e2e.importing import IMPORT, Client, error_body, ids_in, ready_collection
from tests.e2e.test_converging_imports import deploy_file

KEY = "deploy-7f3a9c1e"


def keyed(
    client: Client, collection_id: str, body: Any, key: str = KEY, **params: str
) -> httpx.Response:
    return client.post(
        IMPORT,
        content=json.dumps(body).encode(),
        params={"collectionId": collection_id, **params},
        headers={**AUTH, "Content-Type": "application/json", "Idempotency-Key": key},
    )


def dashboards(client: Client, collection_id: str) -> int:
    return len(ids_in(client, "dashboard", collection_id))


def test_a_retry_gets_the_first_answer_byte_for_byte_and_writes_nothing(client: Client) -> None:
    target = ready_collection(client)
    first = keyed(client, target, deploy_file())
    assert first.status_code == 200
    assert "Idempotent-Replayed" not in first.headers
    again = keyed(client, target, deploy_file())
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert dashboards(client, target) == 2
    unkeyed = client.post(IMPORT, params={"collectionId": target}, json=deploy_file(), headers=AUTH)
    assert [sorted(i) for i in unkeyed.json()] == [sorted(i) for i in first.json()]


def test_the_same_key_with_another_request_is_refused(client: Client) -> None:
    target = ready_collection(client)
    assert keyed(client, target, deploy_file()).status_code == 200
    other_body = keyed(client, target, deploy_file()[:3])
    assert (
        "another request" in error_body(other_body, 422, "idempotencyKeyReused")["detailedMessage"]
    )
    other_query = keyed(client, target, deploy_file(), overwrite="true")
    error_body(other_query, 422, "idempotencyKeyReused")
    assert keyed(client, target, deploy_file(), key="another-key").status_code == 200
    assert dashboards(client, target) == 4


def test_a_refused_import_and_a_dry_run_keep_nothing(client: Client) -> None:
    target = ready_collection(client)
    broken = [{**deploy_file()[0], "name": 5}]
    error_body(keyed(client, target, broken), 400, "importFileInvalid")
    error_body(keyed(client, target, broken), 400, "importFileInvalid")  # not a replay
    dry = keyed(client, target, deploy_file(), dryRun="true")
    assert dry.status_code == 200
    assert [i["id"] for i in dry.json()] == [None] * 6
    real = keyed(client, target, deploy_file())  # the key's first real use
    assert real.status_code == 200
    assert "Idempotent-Replayed" not in real.headers
    assert dashboards(client, target) == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "résumé", "tab\there"])
def test_a_key_that_is_not_1_to_255_printable_ascii_characters_is_a_bad_request(
    client: Client, key: str
) -> None:
    target = ready_collection(client)
    answer = client.post(
        IMPORT,
        params={"collectionId": target},
        content=json.dumps(deploy_file()).encode(),
        headers=[
            (name.encode(), value.encode())
            for name, value in (*AUTH.items(), ("Content-Type", "application/json"))
        ]
        + [(b"Idempotency-Key", key.encode())],
    )
    assert "Idempotency-Key" in error_body(answer, 400, "badRequestError")["detailedMessage"]
    assert dashboards(client, target) == 0


@contextmanager
def failing_to_keep_the_answer(engine: Engine) -> Iterator[None]:
    """The database fails the first write of a kept answer: after the entities were written,
    before the commit."""
    failed: list[str] = []

    def fail(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        writes_answer = statement.lstrip().upper().startswith("INSERT INTO IDEMPOTENCY_KEY")
        if writes_answer and not failed:
            failed.append(statement)
            raise OperationalError(statement, {}, Exception("disk full"))

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", fail)
    assert failed, "the answer was never written"


def test_the_answer_is_kept_in_the_imports_own_transaction(
    client: Client, container: Container
) -> None:
    """Had the answer been kept after the import committed, this failure would leave the
    entities written and no answer kept, and the retry would import them a second time."""
    target = ready_collection(client)
    with failing_to_keep_the_answer(container.engine()):
        failed = keyed(client, target, deploy_file())
    assert failed.status_code == 503
    assert dashboards(client, target) == 0  # nothing of the import was written
    retried = keyed(client, target, deploy_file())
    assert retried.status_code == 200
    assert "Idempotent-Replayed" not in retried.headers
    assert dashboards(client, target) == 2


@pytest.fixture
def on_postgresql(postgres_url: URL) -> Iterator[tuple[Client, Container]]:
    """The API on PostgreSQL alone: SQLite serialises writers, so there a second request with
    the key waits for the first instead (and gets its answer)."""
    truncate_all(postgres_url)
    container = build_container(
        Settings(
            database_url=postgres_url.render_as_string(hide_password=False), api_access_token=TOKEN
        )
    )
    try:
        with TestClient(create_app(container)) as client:
            yield client, container
    finally:
        container.engine().dispose()
        truncate_all(postgres_url)


@pytest.mark.postgres
def test_while_the_first_request_runs_another_with_its_key_is_told_to_wait(
    on_postgresql: tuple[Client, Container],
) -> None:
    client, container = on_postgresql
    target = ready_collection(client)
    holder = container.engine().connect()
    try:
        # What the first request's transaction holds while it imports.
        holder.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"),
            {"name": f"boardport idempotency token\n{KEY}"},
        )
        waiting = keyed(client, target, deploy_file())
    finally:
        holder.rollback()
        holder.close()
    error_body(waiting, 409, "idempotencyKeyInProgress")
    assert waiting.headers["Retry-After"] == "1"
    assert dashboards(client, target) == 0
    assert keyed(client, target, deploy_file()).status_code == 200
