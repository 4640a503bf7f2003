"""What makes a deploy converge, through the HTTP API on SQLite and PostgreSQL: origins that follow
the newest copy, `source` labels that keep two directories apart, `prune` in the same
transaction, and `prepare`, so a dry run answers what the real run will do."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.builders.wire import (
    Entity,
    combined_report_entity,
    dashboard_entity,
    process_report_entity,
    text_tile_json,
)
from tests.conftest import AUTH
from tests.e2e.importing import (
    IMPORT,
    INVOICE_BPMN,
    Client,
    create_collection,
    error_body,
    export_dashboards,
    export_reports,
    ids_in,
    ready_collection,
)

SOURCE_A = "https://dev.example.com/ collection a"
SOURCE_B = "https://qa.example.com/ collection b"


def deploy_file() -> list[Entity]:
    return [
        process_report_entity("r1"),
        process_report_entity("r2"),
        process_report_entity("r3"),
        combined_report_entity("k", ["r1", "r2"]),
        dashboard_entity("d1", ["r1", "k"], extra_tiles=[text_tile_json("Welcome")]),
        dashboard_entity("d2", ["r3"]),
    ]


def imported(client: Client, collection_id: str, body: Any, **params: str) -> httpx.Response:
    return client.post(
        IMPORT,
        content=json.dumps(body).encode(),
        params={"collectionId": collection_id, **params},
        headers={**AUTH, "Content-Type": "application/json"},
    )


def items(response: httpx.Response) -> list[Entity]:
    assert response.status_code == 200, response.text
    answer: list[Entity] = response.json()
    return answer


def actions(response: httpx.Response) -> list[tuple[str, str]]:
    return [(i["sourceId"], i["action"]) for i in items(response)]


def held(client: Client, collection_id: str) -> tuple[list[str], list[str]]:
    return sorted(ids_in(client, "report", collection_id)), sorted(
        ids_in(client, "dashboard", collection_id)
    )


def test_the_newest_copy_of_a_source_id_takes_its_origin_over(client: Client) -> None:
    """push, push --replace, push --overwrite: the sequence that doubled a collection."""
    target = ready_collection(client)
    first = items(imported(client, target, deploy_file(), source=SOURCE_A))
    second = items(imported(client, target, deploy_file(), source=SOURCE_A))
    # What --replace does after the second import: the first copies go, dashboards first.
    for item in sorted(first, key=lambda i: i["entityType"] != "dashboard"):
        deleted = client.delete(f"/api/public/{item['entityType']}/{item['id']}", headers=AUTH)
        assert deleted.status_code == 204
    again = imported(client, target, deploy_file(), overwrite="true", source=SOURCE_A)
    assert [i["action"] for i in items(again)] == ["unchanged"] * 6
    assert [i["id"] for i in items(again)] == [i["id"] for i in second]
    assert held(client, target) == (
        sorted(i["id"] for i in second if i["entityType"] == "report"),
        sorted(i["id"] for i in second if i["entityType"] == "dashboard"),
    )


def test_an_overwrite_matches_only_the_origins_of_its_own_source_label(client: Client) -> None:
    target = ready_collection(client)
    from_a = items(imported(client, target, deploy_file(), overwrite="true", source=SOURCE_A))
    from_b = imported(client, target, deploy_file(), overwrite="true", source=SOURCE_B)
    assert [i["action"] for i in items(from_b)] == ["created"] * 6
    unlabelled = imported(client, target, deploy_file(), overwrite="true")
    assert [i["action"] for i in items(unlabelled)] == ["created"] * 6
    again_a = imported(client, target, deploy_file(), overwrite="true", source=SOURCE_A)
    assert [(i["id"], i["action"]) for i in items(again_a)] == [
        (i["id"], "unchanged") for i in from_a
    ]
    assert len(ids_in(client, "dashboard", target)) == 6


def test_a_plain_import_records_its_origins_too(client: Client) -> None:
    target = ready_collection(client)
    plain = items(imported(client, target, deploy_file(), source=SOURCE_A))
    assert all("action" not in i for i in plain)  # answered exactly as Optimize answers
    again = imported(client, target, deploy_file(), overwrite="true", source=SOURCE_A)
    assert [(i["id"], i["action"]) for i in items(again)] == [(i["id"], "unchanged") for i in plain]


def test_prune_deletes_what_the_source_deployed_that_the_file_no_longer_has(
    client: Client,
) -> None:
    target = ready_collection(client)
    first = items(imported(client, target, deploy_file(), overwrite="true", source=SOURCE_A))
    new_id = {i["sourceId"]: i["id"] for i in first}
    by_hand = dashboard_entity("hand", ["r2"])  # made here: no origin, never pruned
    hand = items(imported(client, target, [process_report_entity("r2"), by_hand]))
    hand_dashboard = next(i["id"] for i in hand if i["entityType"] == "dashboard")
    smaller = [e for e in deploy_file() if e["id"] not in {"r2", "d2", "r3"}]
    smaller[1]["data"]["reports"] = [{"id": "r1", "color": "#1991c8"}]  # k without r2
    before = held(client, target)
    dry = imported(
        client, target, smaller, overwrite="true", prune="true", dryRun="true", source=SOURCE_A
    )
    assert held(client, target) == before  # a dry run of it writes nothing either
    pruned = imported(client, target, smaller, overwrite="true", prune="true", source=SOURCE_A)
    assert actions(pruned) == [
        ("r1", "unchanged"),
        ("k", "updated"),
        ("d1", "unchanged"),
        ("d2", "deleted"),
        ("r2", "deleted"),
        ("r3", "deleted"),
    ]
    assert [i["id"] for i in items(pruned)[3:]] == [new_id["d2"], new_id["r2"], new_id["r3"]]
    assert actions(dry) == actions(pruned)
    reports, dashboards = held(client, target)
    assert new_id["r2"] not in reports
    assert new_id["d2"] not in dashboards
    assert hand_dashboard in dashboards
    # A pruned report leaves every tile that showed it, as DELETE takes it out.
    (shown,) = export_dashboards(client, [new_id["d1"]])[-1:]
    assert new_id["r2"] not in [t["id"] for t in shown["tiles"]]
    kept = export_reports(client, [i["id"] for i in hand if i["entityType"] == "report"])
    assert len(kept) == 1


def test_prune_never_touches_another_sources_entities(client: Client) -> None:
    target = ready_collection(client)
    from_b = items(imported(client, target, deploy_file(), overwrite="true", source=SOURCE_B))
    imported(client, target, deploy_file(), overwrite="true", source=SOURCE_A)
    emptied = imported(client, target, [], overwrite="true", prune="true", source=SOURCE_A)
    assert [i["action"] for i in items(emptied)] == ["deleted"] * 6
    assert held(client, target) == (
        sorted(i["id"] for i in from_b if i["entityType"] == "report"),
        sorted(i["id"] for i in from_b if i["entityType"] == "dashboard"),
    )


def test_prune_without_overwrite_and_a_bad_label_are_bad_requests(client: Client) -> None:
    target = ready_collection(client)
    refused = imported(client, target, deploy_file(), prune="true", source=SOURCE_A)
    assert "overwrite=true" in error_body(refused, 400, "badRequestError")["detailedMessage"]
    too_long = imported(client, target, deploy_file(), source="x" * 201)
    assert "'source'" in error_body(too_long, 400, "badRequestError")["detailedMessage"]
    assert held(client, target) == ([], [])


def test_prepare_registers_and_widens_in_the_import_and_a_dry_run_counts_on_it(
    client: Client,
) -> None:
    bare = create_collection(client, "Bare")  # no scope, and the definition not registered
    report = process_report_entity("r1", xml=INVOICE_BPMN)
    file = [report, dashboard_entity("d1", ["r1"])]
    without = imported(client, bare, file, dryRun="true")
    error_body(without, 400, "importDefinitionDoesNotExist")
    dry = imported(client, bare, file, dryRun="true", prepare="true")
    assert [i["id"] for i in items(dry)] == [None, None]
    assert client.get("/api/public/definition", headers=AUTH).json() == []  # nothing written
    done = imported(client, bare, file, prepare="true")
    assert [i["sourceId"] for i in items(done)] == ["r1", "d1"]
    registered = client.get("/api/public/definition", headers=AUTH).json()
    assert [(d["type"], d["key"]) for d in registered] == [("process", "invoice")]
    scope = client.get(f"/api/public/collection/{bare}", headers=AUTH).json()["data"]["scope"]
    assert [s["definitionKey"] for s in scope] == ["invoice"]


def test_every_api_answer_says_it_comes_from_a_boardport(client: Client) -> None:
    for answer in (
        client.get("/api/readyz"),
        client.get("/api/public/collection", headers=AUTH),
        client.get("/api/public/collection"),  # 401 too
        client.get("/api/public/no-such-thing", headers=AUTH),
    ):
        assert answer.headers["X-Boardport-Version"], answer.status_code
