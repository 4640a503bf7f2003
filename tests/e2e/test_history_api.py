"""History through the HTTP API on SQLite and PostgreSQL (PUBLIC_API.md §4 "History"): every
write kept as a change with its actor, each entity's revisions, and a revert that undoes one
change in one transaction, so the export afterwards is byte for byte what it was."""

from __future__ import annotations

import copy
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
    EXPORT_DASHBOARDS,
    EXPORT_REPORTS,
    IMPORT,
    INVOICE_BPMN,
    Client,
    error_body,
    ids_in,
    ready_collection,
)

SOURCE = "https://dev.example.com/ collection a"


def deploy_file() -> list[Entity]:
    return [
        process_report_entity("r1", xml=INVOICE_BPMN),
        process_report_entity("r2", xml=INVOICE_BPMN),
        process_report_entity("r3", xml=INVOICE_BPMN),
        combined_report_entity("k", ["r1", "r2"]),
        dashboard_entity("d1", ["r1", "k"], extra_tiles=[text_tile_json("Welcome")]),
        dashboard_entity("d2", ["r3", "r1"]),
    ]


def edited_file() -> list[Entity]:
    edited = deploy_file()
    edited[0]["name"] = "Invoices, renamed"
    edited[1]["data"]["visualization"] = "bar"
    edited[4]["tiles"][0]["position"] = {"x": 6, "y": 0}
    return edited


def deploy(client: Client, collection_id: str, body: Any, **params: str) -> list[Entity]:
    response = client.post(
        IMPORT,
        content=json.dumps(body).encode(),
        params={"collectionId": collection_id, "overwrite": "true", "source": SOURCE, **params},
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    answer: list[Entity] = response.json()
    return answer


def exported(client: Client, collection_id: str) -> tuple[bytes, bytes]:
    """The collection's whole export, reports and dashboards, as the API sends it."""
    reports = client.post(
        EXPORT_REPORTS, json=ids_in(client, "report", collection_id), headers=AUTH
    )
    dashboards = client.post(
        EXPORT_DASHBOARDS, json=ids_in(client, "dashboard", collection_id), headers=AUTH
    )
    assert reports.status_code == dashboards.status_code == 200
    return reports.content, dashboards.content


def changes(client: Client, **params: Any) -> list[Entity]:
    response = client.get("/api/public/change", params=params, headers=AUTH)
    assert response.status_code == 200, response.text
    answer: list[Entity] = response.json()
    return answer


def revert(client: Client, change_id: str, **params: str) -> httpx.Response:
    return client.post(f"/api/public/change/{change_id}/revert", params=params, headers=AUTH)


def reverted(client: Client, change_id: str, **params: str) -> list[tuple[str, str]]:
    response = revert(client, change_id, **params)
    assert response.status_code == 200, response.text
    return [(i["id"], i["action"]) for i in response.json()]


def by_id(entity: Entity) -> str:
    return str(entity["id"])


def same_entities(export: bytes, earlier: bytes) -> bool:
    """The same entities in two exports, each exactly as it was: a restored entity is the
    newest of its collection, so the export lists it in another place."""
    return sorted(json.loads(export), key=by_id) == sorted(json.loads(earlier), key=by_id)


def by_source(answer: list[Entity]) -> dict[str, str]:
    return {i["sourceId"]: i["id"] for i in answer}


def test_an_overwrite_reverted_gives_back_the_export_byte_for_byte(client: Client) -> None:
    target = ready_collection(client)
    ids = by_source(deploy(client, target, deploy_file()))
    before = exported(client, target)
    answer = deploy(client, target, edited_file())
    assert sorted(i["action"] for i in answer) == ["unchanged"] * 3 + ["updated"] * 3
    assert exported(client, target) != before
    newest = changes(client, collectionId=target)
    assert [(c["kind"], c["counts"], c["actor"]) for c in newest] == [
        ("import", {"created": 0, "updated": 3, "deleted": 0}, "token"),
        ("import", {"created": 6, "updated": 0, "deleted": 0}, "token"),
    ]
    assert sorted(reverted(client, newest[0]["id"])) == sorted(
        [(ids["r1"], "updated"), (ids["r2"], "updated"), (ids["d1"], "updated")]
    )
    assert exported(client, target) == before
    latest = changes(client, collectionId=target, limit=1)[0]
    assert (latest["kind"], latest["counts"]["updated"]) == ("revert", 3)


def test_a_change_lists_its_entities_and_each_entity_its_revisions(client: Client) -> None:
    target = ready_collection(client)
    ids = by_source(deploy(client, target, deploy_file()))
    deploy(client, target, edited_file())
    change_id = changes(client, collectionId=target, limit=1)[0]["id"]
    detail = client.get(f"/api/public/change/{change_id}", headers=AUTH).json()
    assert {
        (e["entityType"], e["id"], e["action"], e["revisionBefore"], e["revisionAfter"])
        for e in detail["entities"]
    } == {
        ("report", ids["r1"], "updated", 1, 2),
        ("report", ids["r2"], "updated", 1, 2),
        ("dashboard", ids["d1"], "updated", 1, 2),
    }
    revisions = client.get(f"/api/public/report/{ids['r1']}/revision", headers=AUTH).json()
    assert [(r["revision"], r["action"], r["actor"]) for r in revisions] == [
        (2, "updated", "token"),
        (1, "created", "token"),
    ]
    first = client.get(f"/api/public/report/{ids['r1']}/revision/1", headers=AUTH)
    assert first.status_code == 200
    assert first.json()["name"] == deploy_file()[0]["name"]
    assert first.json()["data"]["configuration"]["xml"] == INVOICE_BPMN
    diff = client.get(f"/api/public/report/{ids['r1']}/revision/1/diff", headers=AUTH).json()
    assert diff == {
        "changes": [
            {"path": "name", "before": deploy_file()[0]["name"], "after": "Invoices, renamed"}
        ]
    }
    moved = client.get(
        f"/api/public/dashboard/{ids['d1']}/revision/1/diff", params={"to": 2}, headers=AUTH
    ).json()
    assert moved["changes"] == [
        {
            "path": f"tiles[{ids['r1']}].position",
            "before": {"x": 0, "y": 0},
            "after": {"x": 6, "y": 0},
        }
    ]


def test_a_revision_is_an_export_entity_that_an_import_takes(client: Client) -> None:
    target = ready_collection(client)
    ids = by_source(deploy(client, target, deploy_file()))
    file = [
        client.get(f"/api/public/{kind}/{ids[name]}/revision/1", headers=AUTH).json()
        for kind, name in [("report", "r3"), ("report", "r1"), ("dashboard", "d2")]
    ]
    elsewhere = ready_collection(client, name="Elsewhere")
    answer = deploy(client, elsewhere, file)
    assert [(i["sourceId"], i["action"]) for i in answer] == [
        (ids["r3"], "created"),
        (ids["r1"], "created"),
        (ids["d2"], "created"),
    ]


def test_a_prune_reverted_brings_the_deleted_back_with_their_ids_and_tiles(
    client: Client,
) -> None:
    target = ready_collection(client)
    ids = by_source(deploy(client, target, deploy_file()))
    before = exported(client, target)
    smaller = [e for e in deploy_file() if e["id"] not in {"r3", "d2"}]
    pruned = deploy(client, target, smaller, prune="true")
    assert sorted((i["id"], i["action"]) for i in pruned if i["action"] == "deleted") == sorted(
        [(ids["r3"], "deleted"), (ids["d2"], "deleted")]
    )
    change_id = changes(client, collectionId=target, limit=1)[0]["id"]
    assert sorted(reverted(client, change_id)) == sorted(
        [(ids["r3"], "created"), (ids["d2"], "created")]
    )
    assert same_entities(exported(client, target)[1], before[1])
    reports_after = json.loads(exported(client, target)[0])
    assert sorted(r["id"] for r in reports_after) == sorted(ids[i] for i in ("r1", "r2", "r3", "k"))
    # The origin came back too: the next converging deploy of the whole file changes nothing.
    again = deploy(client, target, deploy_file(), prune="true")
    assert {i["action"] for i in again} == {"unchanged"}


def test_a_deleted_report_reverted_is_back_on_every_dashboard(client: Client) -> None:
    target = ready_collection(client)
    ids = by_source(deploy(client, target, deploy_file()))
    before = exported(client, target)
    deleted = client.delete(f"/api/public/report/{ids['r1']}", headers=AUTH)
    assert deleted.status_code == 204
    change = changes(client, collectionId=target, limit=1)[0]
    # r1 was on d1, d2 and the combined report k: each lost it.
    assert (change["kind"], change["counts"]) == (
        "delete",
        {"created": 0, "updated": 3, "deleted": 1},
    )
    assert sorted(reverted(client, change["id"])) == sorted(
        [
            (ids["r1"], "created"),
            (ids["k"], "updated"),
            (ids["d1"], "updated"),
            (ids["d2"], "updated"),
        ]
    )
    after = exported(client, target)
    assert same_entities(after[0], before[0])
    assert same_entities(after[1], before[1])


def test_a_revert_after_a_later_change_is_refused_then_forced(client: Client) -> None:
    target = ready_collection(client)
    ids = by_source(deploy(client, target, deploy_file()))
    deploy(client, target, edited_file())
    overwrite_id = changes(client, collectionId=target, limit=1)[0]["id"]
    later = copy.deepcopy(edited_file())
    later[0]["name"] = "Renamed again"
    deploy(client, target, later)
    later_id = changes(client, collectionId=target, limit=1)[0]["id"]
    before = exported(client, target)
    refused = revert(client, overwrite_id)
    body = error_body(refused, 409, "revertConflict")
    assert body["conflictedItems"] == [
        {"id": ids["r1"], "type": "report", "name": "Invoices, renamed", "changeId": later_id}
    ]
    assert ids["r1"] in body["detailedMessage"]
    assert exported(client, target) == before
    dry = revert(client, overwrite_id, force="true", dryRun="true")
    assert dry.status_code == 200
    assert exported(client, target) == before
    assert sorted(reverted(client, overwrite_id, force="true")) == sorted(
        [(ids["r1"], "updated"), (ids["r2"], "updated"), (ids["d1"], "updated")]
    )
    r1 = json.loads(client.post(EXPORT_REPORTS, json=[ids["r1"]], headers=AUTH).content)[0]
    assert r1["name"] == deploy_file()[0]["name"]


def test_a_revert_reverted_applies_the_change_again(client: Client) -> None:
    target = ready_collection(client)
    deploy(client, target, deploy_file())
    deploy(client, target, edited_file())
    edited = exported(client, target)
    overwrite_id = changes(client, collectionId=target, limit=1)[0]["id"]
    reverted(client, overwrite_id)
    assert exported(client, target) != edited
    revert_id = changes(client, collectionId=target, limit=1)[0]["id"]
    reverted(client, revert_id)
    assert exported(client, target) == edited


def test_an_import_reverted_leaves_the_collection_as_it_was(client: Client) -> None:
    target = ready_collection(client)
    deploy(client, target, deploy_file())
    first_id = changes(client, collectionId=target, limit=1)[0]["id"]
    assert len(reverted(client, first_id)) == 6
    assert ids_in(client, "report", target) == ids_in(client, "dashboard", target) == []


def test_what_changes_nothing_records_nothing(client: Client) -> None:
    target = ready_collection(client)
    deploy(client, target, deploy_file())
    deploy(client, target, deploy_file())
    deploy(client, target, deploy_file(), dryRun="true")
    refused = client.post(
        IMPORT,
        content=json.dumps(edited_file()).encode(),
        params={"collectionId": "no-such-collection", "overwrite": "true"},
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert refused.status_code == 404
    assert len(changes(client, collectionId=target)) == 1


def test_a_dry_run_revert_answers_what_the_revert_does_and_writes_nothing(client: Client) -> None:
    target = ready_collection(client)
    deploy(client, target, deploy_file())
    deploy(client, target, edited_file())
    change_id = changes(client, collectionId=target, limit=1)[0]["id"]
    before = exported(client, target)
    dry = revert(client, change_id, dryRun="true")
    assert dry.status_code == 200
    assert exported(client, target) == before
    assert len(changes(client, collectionId=target)) == 2
    assert dry.json() == revert(client, change_id).json()


def test_a_revert_with_an_idempotency_key_is_answered_once(client: Client) -> None:
    target = ready_collection(client)
    deploy(client, target, deploy_file())
    deploy(client, target, edited_file())
    change_id = changes(client, collectionId=target, limit=1)[0]["id"]
    path = f"/api/public/change/{change_id}/revert"
    keyed = {**AUTH, "Idempotency-Key": "revert-1"}
    first = client.post(path, headers=keyed)
    again = client.post(path, headers=keyed)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(changes(client, collectionId=target)) == 3
    reused = client.post(path, params={"force": "true"}, headers=keyed)
    error_body(reused, 422, "idempotencyKeyReused")


def test_changes_page_newest_first(client: Client) -> None:
    target = ready_collection(client)
    for name in ("one", "two", "three"):
        file = deploy_file()
        file[0]["name"] = name
        deploy(client, target, file)
    newest = changes(client, collectionId=target, limit=2)
    older = changes(client, collectionId=target, limit=2, before=newest[-1]["id"])
    assert len(newest) == 2
    assert len(older) == 1
    assert older[0]["counts"]["created"] == 6
    everything = changes(client)
    assert [c["id"] for c in everything][:3] == [c["id"] for c in newest + older]


def test_history_refuses_what_does_not_exist_and_a_limit_out_of_range(client: Client) -> None:
    error_body(client.get("/api/public/change/999999", headers=AUTH), 404, "notFoundError")
    error_body(revert(client, "999999"), 404, "notFoundError")
    error_body(
        client.get("/api/public/report/never-here/revision", headers=AUTH), 404, "notFoundError"
    )
    error_body(
        client.get("/api/public/change", params={"limit": 0}, headers=AUTH), 400, "badRequestError"
    )
    error_body(
        client.get("/api/public/change", params={"limit": 501}, headers=AUTH),
        400,
        "badRequestError",
    )
    assert client.get("/api/public/change").status_code == 401
    target = ready_collection(client)
    ids = by_source(deploy(client, target, deploy_file()))
    error_body(
        client.get(f"/api/public/report/{ids['r1']}/revision/7", headers=AUTH),
        404,
        "notFoundError",
    )


def test_a_deleted_dashboard_keeps_its_revisions(client: Client) -> None:
    target = ready_collection(client)
    ids = by_source(deploy(client, target, deploy_file()))
    assert client.delete(f"/api/public/dashboard/{ids['d2']}", headers=AUTH).status_code == 204
    revisions = client.get(f"/api/public/dashboard/{ids['d2']}/revision", headers=AUTH).json()
    assert [(r["revision"], r["action"]) for r in revisions] == [(2, "deleted"), (1, "created")]
    last = client.get(f"/api/public/dashboard/{ids['d2']}/revision/2", headers=AUTH).json()
    assert [t["id"] for t in last["tiles"]] == [ids["r3"], ids["r1"]]
