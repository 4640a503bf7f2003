"""Deploys that converge (issue 20), from a pulled directory and on the wire itself, with real
processes on loopback: the push / --replace / --overwrite sequence, prune across two source
labels, an idempotent replay, a reused key, a concurrent key, and a plain import (Optimize's
way) whose answer is lost after it landed."""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import TOKEN
from tests.system.deploys import (
    DEMO_ENTITIES,
    DeployServers,
    demo_once,
    document,
    fresh_collection,
    held,
)
from tests.system.fault_proxy import Fault, fault_proxy
from tests.system.test_client import DEMO_COLLECTION, Run, boardport, exported, migrate_args

IMPORT = "/api/public/import"


def pull(servers: DeployServers, directory: Path, collection_id: str = DEMO_COLLECTION) -> None:
    run = boardport(
        "pull", str(directory), "--from", servers.source.url, "--collection", collection_id
    )
    assert run.returncode == 0, run.stderr


def push(directory: Path, target_url: str, collection_id: str, *extra: str) -> Run:
    return boardport(
        "push", str(directory), "--to", target_url, "--collection", collection_id, "--json", *extra
    )


def test_push_then_replace_then_overwrite_leaves_one_copy_of_each_entity(
    converging: DeployServers, tmp_path: Path
) -> None:
    pull(converging, tmp_path)
    collection_id = fresh_collection(converging)
    url = converging.target.url
    first = document(push(tmp_path, url, collection_id))
    replaced = document(push(tmp_path, url, collection_id, "--replace"))
    overwritten = document(push(tmp_path, url, collection_id, "--overwrite"))
    assert first["counts"]["created"] == DEMO_ENTITIES
    assert replaced["counts"]["unchanged"] == overwritten["counts"]["unchanged"] == DEMO_ENTITIES
    assert replaced["counts"]["deleted"] == 0
    assert overwritten["idMap"] == first["idMap"]
    assert held(converging.target, collection_id) == demo_once(converging)


def copy_of_the_demo(servers: DeployServers) -> str:
    """A collection of the source holding the demo's entities under new ids: another source."""
    collection_id = boardport_collection(servers.source.url)
    run = boardport(
        "migrate", "--from", servers.source.url, "--collection", DEMO_COLLECTION,
        "--to", servers.source.url, "--to-collection", collection_id, "--json",
    )  # fmt: skip
    document(run)
    return collection_id


def boardport_collection(url: str) -> str:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        answer = client.post("/api/public/collection/create", json={"name": "another source"})
        answer.raise_for_status()
        collection_id: str = answer.json()["id"]
        return collection_id


def test_prune_across_two_source_labels_deletes_only_what_its_own_source_deployed(
    converging: DeployServers, tmp_path: Path
) -> None:
    one, two = copy_of_the_demo(converging), copy_of_the_demo(converging)
    pull(converging, tmp_path / "one", one)
    pull(converging, tmp_path / "two", two)
    collection_id, url = fresh_collection(converging), converging.target.url
    document(push(tmp_path / "one", url, collection_id))
    document(push(tmp_path / "two", url, collection_id))
    twice = demo_once(converging) + demo_once(converging)
    assert held(converging.target, collection_id) == twice
    (gone, *_) = [
        e for e in exported(converging.source, one) if e["exportEntityType"] == "dashboard"
    ]
    with httpx.Client(
        base_url=converging.source.url, headers={"Authorization": f"Bearer {TOKEN}"}
    ) as client:
        client.delete(f"/api/public/dashboard/{gone['id']}").raise_for_status()
    pull(converging, tmp_path / "one", one)
    pruned = document(push(tmp_path / "one", url, collection_id, "--prune"))
    assert pruned["counts"]["deleted"] == 1
    assert [d["sourceId"] for d in pruned["deleted"]] == [gone["id"]]
    expected = twice - Counter({("dashboard", gone["name"]): 1})
    assert held(converging.target, collection_id) == expected
    untouched = document(push(tmp_path / "two", url, collection_id, "--prune"))
    assert untouched["counts"]["deleted"] == 0
    assert held(converging.target, collection_id) == expected


# -- the Idempotency-Key on the wire ----------------------------------------------------------


def demo_file(servers: DeployServers) -> bytes:
    return json.dumps(exported(servers.source, DEMO_COLLECTION)).encode()


def post_import(
    servers: DeployServers, collection_id: str, body: bytes, key: str
) -> httpx.Response:
    return httpx.post(
        f"{servers.target.url}{IMPORT}",
        params={"collectionId": collection_id, "overwrite": "true", "prepare": "true"},
        content=body,
        headers={
            "Authorization": f"Bearer {TOKEN}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        },
        timeout=60,
    )


def test_an_import_sent_again_with_its_key_is_answered_byte_for_byte_and_imports_once(
    converging: DeployServers,
) -> None:
    collection_id, body = fresh_collection(converging), demo_file(converging)
    first = post_import(converging, collection_id, body, "replay-1")
    second = post_import(converging, collection_id, body, "replay-1")
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.content == first.content
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert held(converging.target, collection_id) == demo_once(converging)


def test_a_key_sent_with_another_request_is_refused_and_writes_nothing(
    converging: DeployServers,
) -> None:
    collection_id, body = fresh_collection(converging), demo_file(converging)
    assert post_import(converging, collection_id, body, "reused-1").status_code == 200
    other = fresh_collection(converging)
    reused = post_import(converging, other, body, "reused-1")
    assert reused.status_code == 422
    assert reused.json()["errorCode"] == "idempotencyKeyReused"
    assert held(converging.target, other) == {}


def test_two_requests_with_one_key_at_once_import_once(converging: DeployServers) -> None:
    collection_id, body = fresh_collection(converging), demo_file(converging)
    start = threading.Barrier(2)
    answers: list[httpx.Response] = []

    def send() -> None:
        start.wait(timeout=30)
        answers.append(post_import(converging, collection_id, body, "concurrent-1"))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    outcomes = sorted((a.status_code, a.headers.get("Retry-After"), _code(a)) for a in answers)
    assert outcomes in (
        [(200, None, None), (200, None, None)],
        [(200, None, None), (409, "1", "idempotencyKeyInProgress")],
    )
    assert held(converging.target, collection_id) == demo_once(converging)


def _code(answer: httpx.Response) -> Any:
    return answer.json().get("errorCode") if answer.status_code != 200 else None


# -- a plain import, as against an Optimize ---------------------------------------------------


def test_a_plain_import_whose_answer_is_lost_after_it_landed_is_found_and_pruned_by_a_rerun(
    deploy_servers: DeployServers, tmp_path: Path
) -> None:
    pull(deploy_servers, tmp_path)
    collection_id = fresh_collection(deploy_servers)
    with fault_proxy(deploy_servers.target.url) as (url, proxy):
        proxy.faults.append(Fault("POST", IMPORT, "drop", after=True))
        lost = push(tmp_path, url, collection_id, "--new-copies")
        assert proxy.outcomes("POST", IMPORT) == ["drop after"]  # never sent twice
        again = document(push(tmp_path, url, collection_id, "--new-copies", "--prune"))
    assert lost.returncode == 1
    assert "importAnswerLost: the import into collection" in lost.stderr
    assert "landed, but its answer was lost" in lost.stderr
    assert len(json.loads(lost.stdout)["error"]["landed"]) == DEMO_ENTITIES
    assert again["counts"]["created"] == again["counts"]["deleted"] == DEMO_ENTITIES
    assert held(deploy_servers.target, collection_id) == demo_once(deploy_servers)


def test_a_dry_run_into_an_unprepared_collection_answers_what_the_real_run_does(
    converging: DeployServers,
) -> None:
    collection_id = fresh_collection(converging)  # its scope is empty: the import widens it
    args = migrate_args(collection_id, source=converging.source.url, target=converging.target.url)
    checked = document(boardport(*args, "--json", "--dry-run"))
    assert held(converging.target, collection_id) == {}
    done = document(boardport(*args, "--json"))
    assert checked["counts"] == done["counts"]
    assert checked["counts"]["created"] == DEMO_ENTITIES
    with converging.target.client() as client:
        scope = client.get(f"/api/public/collection/{collection_id}").json()["data"]["scope"]
    assert {entry["definitionKey"] for entry in scope} == {"invoice", "invoiceClassification"}
