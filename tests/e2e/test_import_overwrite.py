"""Import with overwrite through the HTTP API and the CLI, on SQLite and PostgreSQL: deploy the
same file twice without duplicates, land an edited file in place, and refuse what is ambiguous."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner
from sqlalchemy import text

from entrypoints.cli.main import cli
from entrypoints.container import Container
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
    Client,
    by_id,
    error_body,
    export_dashboards,
    export_reports,
    ids_in,
    ready_collection,
)

FILTERS = [
    {"type": "state", "data": {"defaultValues": None}},
    {"type": "instanceStartDate", "data": {}},
]


def deploy_file() -> list[Entity]:
    return [
        process_report_entity("r1"),
        process_report_entity("r2"),
        process_report_entity("r3"),
        combined_report_entity("k", ["r1", "r2"]),
        dashboard_entity(
            "d", ["r1", "k", "r3"], extra_tiles=[text_tile_json("Welcome")], filters=FILTERS
        ),
    ]


def overwrite(
    client: Client, collection_id: str, body: Any, *, dry_run: bool = False
) -> httpx.Response:
    params = {"collectionId": collection_id, "overwrite": "true"}
    if dry_run:
        params["dryRun"] = "true"
    return client.post(
        IMPORT,
        content=json.dumps(body).encode(),
        params=params,
        headers={**AUTH, "Content-Type": "application/json"},
    )


def answered(response: httpx.Response) -> list[Entity]:
    assert response.status_code == 200, response.text
    items: list[Entity] = response.json()
    return items


def counter(container: Container) -> int:
    with container.engine().connect() as connection:
        value = connection.execute(text("SELECT value FROM change_counter")).scalar_one()
    return int(value)


def held(client: Client, collection_id: str) -> dict[str, Entity]:
    """Everything the collection holds, comparable, by stored ID."""
    reports = export_reports(client, ids_in(client, "report", collection_id))
    dashboards = export_dashboards(client, ids_in(client, "dashboard", collection_id))
    return by_id(reports + dashboards)


def test_deploying_the_same_file_twice_leaves_the_collection_as_the_first_deploy_did(
    client: Client, container: Container
) -> None:
    target = ready_collection(client)
    first = answered(overwrite(client, target, deploy_file()))
    assert [i["action"] for i in first] == ["created"] * 5
    assert [i["sourceId"] for i in first] == ["r1", "r2", "r3", "k", "d"]
    after_first, count = held(client, target), counter(container)

    second = answered(overwrite(client, target, deploy_file()))
    assert second == [{**i, "action": "unchanged"} for i in first]
    assert held(client, target) == after_first
    assert counter(container) == count  # nothing was written, so nothing was announced


def test_an_edited_file_lands_in_place_with_the_same_ids(
    client: Client, container: Container
) -> None:
    target = ready_collection(client)
    first = {i["sourceId"]: i["id"] for i in answered(overwrite(client, target, deploy_file()))}
    edited = deploy_file()
    edited[0]["name"] = "Renamed r1"
    edited[3] = combined_report_entity("k", ["r2"])
    # The dashboard loses r3's tile and its filters, and gains a new report.
    edited[4] = dashboard_entity("d", ["k", "r1", "r4"], extra_tiles=[text_tile_json("Changed")])
    edited.insert(4, process_report_entity("r4"))
    count = counter(container)

    items = answered(overwrite(client, target, edited))
    actions = {i["sourceId"]: i["action"] for i in items}
    assert actions == {
        "r1": "updated",
        "r2": "unchanged",
        "r3": "unchanged",
        "k": "updated",
        "r4": "created",
        "d": "updated",
    }
    ids = {i["sourceId"]: i["id"] for i in items}
    assert {s: ids[s] for s in first} == first
    assert counter(container) > count
    stored = held(client, target)
    assert stored == by_id(edited, ids)  # exactly the file's content, nothing of before
    assert ids["r3"] in ids_in(client, "report", target)  # off the dashboard, still here
    shown = export_dashboards(client, [ids["d"]])
    # The combined report's stored children follow it too: the export closes over them.
    assert {e["id"] for e in shown} == {ids[s] for s in ("d", "k", "r1", "r4", "r2")}
    (board,) = [e for e in shown if e["id"] == ids["d"]]
    assert board["availableFilters"] == []
    assert [t["id"] for t in board["tiles"]] == [ids["k"], ids["r1"], ids["r4"], ""]


def test_entities_the_file_does_not_mention_are_left_alone(client: Client) -> None:
    target = ready_collection(client)
    other = answered(overwrite(client, target, [process_report_entity("keep")]))
    before = held(client, target)
    answered(overwrite(client, target, deploy_file()))
    after = held(client, target)
    assert after[other[0]["id"]] == before[other[0]["id"]]
    assert len(after) == 6


def test_a_plain_import_answers_as_before_and_its_copies_take_the_origins(
    client: Client,
) -> None:
    target = ready_collection(client)
    first = answered(overwrite(client, target, deploy_file()))
    plain = client.post(
        IMPORT, params={"collectionId": target}, json=deploy_file(), headers=AUTH
    ).json()
    assert [sorted(i) for i in plain] == [["entityType", "id", "sourceId"]] * 5
    assert not {i["id"] for i in plain} & {i["id"] for i in first}
    assert len(ids_in(client, "report", target)) == 8
    # The newest copies took the origins over: the overwrite finds what was deployed last.
    again = answered(overwrite(client, target, deploy_file()))
    assert [(i["id"], i["action"]) for i in again] == [(i["id"], "unchanged") for i in plain]


def test_a_dry_run_answers_what_the_overwrite_will_do_and_writes_nothing(
    client: Client, container: Container
) -> None:
    target = ready_collection(client)
    answered(overwrite(client, target, deploy_file()[:3]))
    edited = deploy_file()
    edited[1]["name"] = "Renamed r2"
    before, count = held(client, target), counter(container)
    predicted = answered(overwrite(client, target, edited, dry_run=True))
    assert held(client, target) == before
    assert counter(container) == count
    done = answered(overwrite(client, target, edited))
    assert [i["action"] for i in predicted] == [i["action"] for i in done]
    assert [i["action"] for i in done] == [
        "unchanged",
        "updated",
        "unchanged",
        "created",
        "created",
    ]
    assert [i["id"] for i in predicted] == [
        None if i["action"] == "created" else i["id"] for i in done
    ]


def test_an_entity_stored_as_another_type_is_a_409_naming_both_ids(client: Client) -> None:
    target = ready_collection(client)
    (stored,) = answered(overwrite(client, target, [dashboard_entity("x")]))
    before = held(client, target)
    body = error_body(
        overwrite(client, target, [process_report_entity("x")]), 409, "importOverwriteConflict"
    )
    assert '"x"' in body["detailedMessage"]
    assert stored["id"] in body["detailedMessage"]
    assert held(client, target) == before


def test_two_entities_matching_one_stored_entity_are_refused_naming_both(
    client: Client,
) -> None:
    target = ready_collection(client)
    (stored,) = answered(overwrite(client, target, [process_report_entity("a")]))
    # "b" is the stored report's own ID here; "a" is where it was imported from.
    clash = [process_report_entity("a"), process_report_entity(stored["id"])]
    body = error_body(overwrite(client, target, clash), 409, "importOverwriteConflict")
    assert f'"a" and "{stored["id"]}"' in body["detailedMessage"]
    assert len(ids_in(client, "report", target)) == 1


def test_every_check_of_a_plain_import_answers_first(client: Client) -> None:
    target = ready_collection(client)
    answered(overwrite(client, target, [dashboard_entity("x")]))
    # A type clash and an unknown definition: the contract's check answers, not the clash.
    refused = overwrite(client, target, [process_report_entity("x", key="unknown")])
    error_body(refused, 400, "importDefinitionDoesNotExist")
    error_body(overwrite(client, "nowhere", deploy_file()), 404, "notFoundError")


def test_the_cli_overwrites_and_prints_each_action(
    database_url: str, tmp_path: Path, client: Client
) -> None:
    target = ready_collection(client)
    file = tmp_path / "deploy.json"
    file.write_text(json.dumps(deploy_file()), encoding="utf-8")
    runner = CliRunner()
    env = {"BOARDPORT_DATABASE_URL": database_url}
    args = ["import", str(file), "--collection", target, "--overwrite"]
    first = runner.invoke(cli, args, env=env)
    assert first.exit_code == 0, first.output
    second = runner.invoke(cli, args, env=env)
    assert second.exit_code == 0, second.output
    created, unchanged = json.loads(first.stdout), json.loads(second.stdout)
    assert [i["action"] for i in created] == ["created"] * 5
    assert unchanged == [{**i, "action": "unchanged"} for i in created]
