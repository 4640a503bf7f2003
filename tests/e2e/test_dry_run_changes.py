"""What a dry run of an overwrite says it will change, field by field, through the HTTP API on
SQLite and PostgreSQL: the server's half of `boardport plan`. Each test edits a deployed file as
a person edits a pulled directory, and checks the changes exactly."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from tests.builders.wire import Entity
from tests.e2e.importing import INVOICE_BPMN, Client, ready_collection
from tests.e2e.test_converging_imports import SOURCE_A, deploy_file, imported, items

Edit = Callable[[list[Entity]], None]


def planned(client: Client, edit: Edit) -> tuple[dict[str, str], list[Entity]]:
    """The deployed file's new IDs by ID in the file, and the dry run of the edited file."""
    target = ready_collection(client)
    first = items(imported(client, target, deploy_file(), overwrite="true", source=SOURCE_A))
    edited = deploy_file()
    edit(edited)
    dry = imported(
        client, target, edited, overwrite="true", dryRun="true", prune="true", source=SOURCE_A
    )
    return {i["sourceId"]: i["id"] for i in first}, items(dry)


def changed(answer: list[Entity]) -> dict[str, Any]:
    """The changes of each entity that would be updated, by ID in the file."""
    assert {i["action"] for i in answer} <= {"unchanged", "updated", "deleted"}
    return {i["sourceId"]: i["changes"] for i in answer if i["action"] == "updated"}


def entity(file: list[Entity], entity_id: str) -> Entity:
    return next(e for e in file if e["id"] == entity_id)


def test_a_renamed_report_is_one_change_of_its_name(client: Client) -> None:
    _, answer = planned(client, lambda f: entity(f, "r2").update(name="Approvals per week"))
    assert changed(answer) == {
        "r2": [{"path": "name", "before": "Report r2", "after": "Approvals per week"}]
    }


def test_a_moved_tile_and_a_resized_tile_are_one_change_each(client: Client) -> None:
    def move(file: list[Entity]) -> None:
        tiles = entity(file, "d1")["tiles"]
        tiles[0]["position"] = {"x": 6, "y": 0}
        tiles[1]["dimensions"] = {"width": 12, "height": 8}

    ids, answer = planned(client, move)
    assert changed(answer) == {
        "d1": [
            {
                "path": f"tiles[{ids['r1']}].position",
                "before": {"x": 0, "y": 0},
                "after": {"x": 6, "y": 0},
            },
            {
                "path": f"tiles[{ids['k']}].dimensions",
                "before": {"width": 6, "height": 4},
                "after": {"width": 12, "height": 8},
            },
        ]
    }


def test_a_text_tiles_new_words_are_one_change(client: Client) -> None:
    def reword(file: list[Entity]) -> None:
        entity(file, "d1")["tiles"][2]["configuration"]["text"]["root"]["text"] = "Hello, team"

    _, answer = planned(client, reword)
    assert changed(answer) == {
        "d1": [
            {
                "path": "tiles[text#1].configuration.text.root.text",
                "before": "Welcome",
                "after": "Hello, team",
            }
        ]
    }


def test_a_definition_version_and_an_added_filter(client: Client) -> None:
    def edit(file: list[Entity]) -> None:
        report = entity(file, "r3")["data"]
        report["definitions"][0]["versions"] = ["1"]
        report["filter"] = [{"type": "runningInstancesOnly", "filterLevel": "instance"}]

    _, answer = planned(client, edit)
    assert changed(answer) == {
        "r3": [
            {"path": "data.definitions[invoice].versions[0]", "before": "all", "after": "1"},
            {
                "path": "data.filter[0]",
                "after": {"type": "runningInstancesOnly", "filterLevel": "instance"},
            },
        ]
    }


def test_a_long_string_is_shown_by_its_digest_and_length(client: Client) -> None:
    long = "An overview of every approval step. " * 8
    _, answer = planned(client, lambda f: entity(f, "d2").update(description=long))
    assert changed(answer) == {
        "d2": [
            {
                "path": "description",
                "before": None,
                "after": {"sha256": hashlib.sha256(long.encode()).hexdigest(), "length": 288},
            }
        ]
    }


def test_a_file_deleted_from_the_directory_is_a_delete_and_nothing_else_changes(
    client: Client,
) -> None:
    def drop(file: list[Entity]) -> None:
        file.remove(entity(file, "d2"))

    ids, answer = planned(client, drop)
    assert [(i["sourceId"], i["action"]) for i in answer] == [
        *((s, "unchanged") for s in ("r1", "r2", "r3", "k", "d1")),
        ("d2", "deleted"),
    ]
    assert answer[-1]["id"] == ids["d2"]
    assert all("changes" not in i for i in answer)


def test_nothing_edited_means_nothing_changes(client: Client) -> None:
    _, answer = planned(client, lambda _: None)
    assert [i["action"] for i in answer] == ["unchanged"] * 6
    assert all("changes" not in i for i in answer)


def test_the_stored_xml_is_what_the_file_is_compared_with(client: Client) -> None:
    """The import replaces the file's XML with the target's: a file carrying another XML
    changes nothing, since the import would store the target's all the same."""

    def other_xml(file: list[Entity]) -> None:
        entity(file, "r1")["data"]["configuration"]["xml"] = INVOICE_BPMN.replace("Invoice", "X")

    _, answer = planned(client, other_xml)
    assert changed(answer) == {}
