"""What a dry run, a plan and a revision diff show for the edits an operator makes to a pulled
directory, on a real Optimize export (a dashboard with report and text tiles, reports with their
BPMN XML)."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

import pytest

from domain.entity_changes import ABSENT, MAX_CHANGES, Change, EntityChanges, changes_between
from tests.optimize_fixtures import load_fixture

FIXTURE = "kh-c8-sm84-9reports-2dashboards-text-tiles.json"
REPORT_ID = "456af3e7-396f-43ed-afdc-db3465c68aa6"
DASHBOARD_ID = "4d2cd97c-a35d-461a-a5d7-c682b065c943"
TILE_REPORT_ID = "3b204d63-6a8b-4228-ba86-b68355fdd597"  # the dashboard's 2nd tile, at (5, 6)


def entity(entity_id: str) -> dict[str, Any]:
    document: Any = load_fixture(FIXTURE)
    return next(e for e in document if e["id"] == entity_id)


def tile_of(dashboard: dict[str, Any], report_id: str) -> dict[str, Any]:
    return next(t for t in dashboard["tiles"] if t["id"] == report_id)


def text_tiles(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in dashboard["tiles"] if t["type"] == "text"]


def digest(text: str) -> dict[str, Any]:
    return {"sha256": hashlib.sha256(text.encode()).hexdigest(), "length": len(text)}


def test_a_renamed_report_has_one_change_of_its_name() -> None:
    before = entity(REPORT_ID)
    after = copy.deepcopy(before) | {"name": "Open incidents now"}
    assert changes_between(before, after).to_json() == {
        "changes": [
            {"path": "name", "before": "Currently open incidents", "after": "Open incidents now"}
        ]
    }


def test_a_moved_tile_is_one_change_of_its_whole_position() -> None:
    before = entity(DASHBOARD_ID)
    after = copy.deepcopy(before)
    tile_of(after, TILE_REPORT_ID)["position"]["x"] = 6
    assert changes_between(before, after) == EntityChanges(
        (Change(f"tiles[{TILE_REPORT_ID}].position", {"x": 5, "y": 6}, {"x": 6, "y": 6}),)
    )


def test_a_resized_tile_is_one_change_of_its_whole_dimensions() -> None:
    before = entity(DASHBOARD_ID)
    after = copy.deepcopy(before)
    tile_of(after, TILE_REPORT_ID)["dimensions"] = {"height": 3, "width": 4}
    assert changes_between(before, after).changes == (
        Change(
            f"tiles[{TILE_REPORT_ID}].dimensions",
            {"width": 4, "height": 2},
            {"height": 3, "width": 4},
        ),
    )


def test_tiles_shown_in_another_order_of_the_list_are_unchanged() -> None:
    before = entity(DASHBOARD_ID)
    after = copy.deepcopy(before)
    after["tiles"].reverse()
    after["tiles"] = [t for t in after["tiles"] if t["type"] != "text"] + text_tiles(before)
    assert changes_between(before, after) == EntityChanges(())


def test_a_text_tiles_changed_text_is_named_by_its_place_among_the_text_tiles() -> None:
    before = entity(DASHBOARD_ID)
    after = copy.deepcopy(before)
    words = text_tiles(after)[3]["configuration"]["text"]["root"]["children"][0]["children"][0]
    assert words["text"].startswith("Report business metri")
    words["text"] = "Business metrics"
    [change] = changes_between(before, after).changes
    assert change.path == "tiles[text#4].configuration.text.root.children[0].children[0].text"
    assert change.after == "Business metrics"


def test_a_report_tile_added_before_the_text_tiles_is_the_only_change() -> None:
    before = entity(DASHBOARD_ID)
    after = copy.deepcopy(before)
    added = {
        "id": "new-report",
        "position": {"x": 0, "y": 30},
        "dimensions": {"width": 6, "height": 2},
        "type": "optimize_report",
        "configuration": None,
    }
    after["tiles"].insert(0, added)
    assert changes_between(before, after).to_json() == {
        "changes": [{"path": "tiles[new-report]", "after": added}]
    }


def test_a_removed_tile_is_one_change_with_nothing_after() -> None:
    before = entity(DASHBOARD_ID)
    after = copy.deepcopy(before)
    after["tiles"].remove(tile_of(after, TILE_REPORT_ID))
    [change] = changes_between(before, after).changes
    assert change == Change(f"tiles[{TILE_REPORT_ID}]", tile_of(before, TILE_REPORT_ID), ABSENT)
    assert "after" not in change.to_json()


def test_a_report_on_two_tiles_names_the_second_by_its_count() -> None:
    before = entity(DASHBOARD_ID)
    after = copy.deepcopy(before)
    second = copy.deepcopy(tile_of(after, TILE_REPORT_ID)) | {"position": {"x": 0, "y": 40}}
    after["tiles"].append(second)
    moved = copy.deepcopy(after)
    tile_of(moved, TILE_REPORT_ID)["position"] = {"x": 1, "y": 6}
    assert [c.path for c in changes_between(before, after).changes] == [
        f"tiles[{TILE_REPORT_ID}#2]"
    ]
    assert [c.path for c in changes_between(after, moved).changes] == [
        f"tiles[{TILE_REPORT_ID}].position"
    ]


@pytest.mark.parametrize(
    ("report_id", "segment"),
    [("text", '"text"'), ("12", '"12"'), ("a#2", '"a#2"'), ("a]b", '"a]b"'), ("日本-✓", "日本-✓")],
)
def test_a_report_id_that_could_be_read_as_something_else_is_quoted(
    report_id: str, segment: str
) -> None:
    tile: Any = {"id": report_id, "type": "optimize_report", "position": {"x": 0, "y": 0}}
    [change] = changes_between({"tiles": []}, {"tiles": [tile]}).changes
    assert change.path == f"tiles[{segment}]"


def test_a_changed_definition_version_is_named_by_the_definitions_key() -> None:
    before = entity(REPORT_ID)
    after = copy.deepcopy(before)
    after["data"]["definitions"][0]["versions"] = ["3"]
    assert changes_between(before, after).to_json() == {
        "changes": [
            {
                "path": "data.definitions[orchestrating-process].versions[0]",
                "before": "all",
                "after": "3",
            }
        ]
    }


def test_definitions_are_matched_by_key_and_by_position_when_a_key_repeats() -> None:
    first: Any = {"key": "invoice", "versions": ["1"]}
    second: Any = {"key": "review", "versions": ["1"]}
    before: Any = {"data": {"definitions": [first, second]}}
    added: Any = {"key": "invoice", "versions": ["2"]}
    reordered: Any = {"data": {"definitions": [second, first]}}
    repeated: Any = {"data": {"definitions": [first, second, added]}}
    assert changes_between(before, reordered).changes == ()
    assert changes_between(before, repeated).changes == (
        Change("data.definitions[2]", ABSENT, added),
    )


def test_an_added_filter_is_one_change_at_the_end_of_the_list() -> None:
    before = entity(REPORT_ID)
    after = copy.deepcopy(before)
    added = {"type": "runningInstancesOnly", "filterLevel": "instance", "data": None}
    after["data"]["filter"].append(added | {"appliedTo": ["all"]})
    assert changes_between(before, after).to_json() == {
        "changes": [{"path": "data.filter[1]", "after": added | {"appliedTo": ["all"]}}]
    }


def test_a_changed_xml_is_shown_by_its_digest_and_length_on_each_side() -> None:
    before = entity(REPORT_ID)
    after = copy.deepcopy(before)
    xml = before["data"]["configuration"]["xml"]
    after["data"]["configuration"]["xml"] = xml.replace("Orchestrating", "Orchestrated", 1)
    [change] = changes_between(before, after).changes
    assert change.path == "data.configuration.xml"
    assert change.before == digest(xml) | {"length": 21264}
    assert change.after == digest(after["data"]["configuration"]["xml"])
    assert change.after != change.before


def test_a_string_of_two_hundred_characters_is_shown_whole_and_one_more_by_digest() -> None:
    changed = changes_between({"s": "a" * 200, "t": "b" * 201}, {"s": "c" * 200, "t": "é" * 201})
    assert changed.changes == (
        Change("s", "a" * 200, "c" * 200),
        Change("t", digest("b" * 201), digest("é" * 201)),
    )


def test_a_long_string_inside_an_added_value_is_shown_by_its_digest() -> None:
    description = "x" * 500
    [change] = changes_between({}, {"data": {"notes": [description]}}).changes
    assert change == Change("data", ABSENT, {"notes": [digest(description)]})


def test_a_report_tile_with_a_long_id_is_named_by_its_whole_id_and_shows_it_by_digest() -> None:
    """The path must name one tile, so it holds the whole id; only the shown value digests it.
    Two long ids that differ in their last character are two tiles."""
    moved, added = "x" * 201, "x" * 200 + "y"
    before: Any = {
        "tiles": [{"id": moved, "type": "optimize_report", "position": {"x": 0, "y": 0}}]
    }
    after: Any = {
        "tiles": [
            {"id": added, "type": "optimize_report", "position": {"x": 0, "y": 0}},
            {"id": moved, "type": "optimize_report", "position": {"x": 1, "y": 0}},
        ]
    }
    assert changes_between(before, after).changes == (
        Change(f"tiles[{moved}].position", {"x": 0, "y": 0}, {"x": 1, "y": 0}),
        Change(
            f"tiles[{added}]",
            ABSENT,
            {"id": digest(added), "type": "optimize_report", "position": {"x": 0, "y": 0}},
        ),
    )


def test_a_missing_field_differs_from_a_null_one() -> None:
    changed = changes_between({"description": None}, {"description": "x", "extra": None})
    assert [c.to_json() for c in changed.changes] == [
        {"path": "description", "before": None, "after": "x"},
        {"path": "extra", "after": None},
    ]


@pytest.mark.parametrize(
    ("before", "after", "changed"),
    [
        (True, 1, True),
        (1, 1.0, False),
        (0, False, True),
        ({}, [], True),
        ("1", 1, True),
        (None, {}, True),
    ],
)
def test_a_value_of_another_json_type_is_one_change(before: Any, after: Any, changed: bool) -> None:
    expected = (Change("data.value", before, after),) if changed else ()
    assert changes_between({"data": {"value": before}}, {"data": {"value": after}}).changes == (
        expected
    )


def test_keys_that_are_not_plain_names_are_written_as_json_strings() -> None:
    before: Any = {"data": {"a.b": 1, "c[0]": 1, 'say "hi"': 1, "": 1, "plain-name:x": 1}}
    after: Any = {"data": dict.fromkeys(before["data"], 2)}
    assert [c.path for c in changes_between(before, after).changes] == [
        'data[""]',
        'data["a.b"]',
        'data["c[0]"]',
        "data.plain-name:x",
        'data["say \\"hi\\""]',
    ]


def test_past_the_limit_the_changes_are_counted_and_not_listed() -> None:
    before: Any = {"data": {f"k{n:03}": n for n in range(MAX_CHANGES + 20)}}
    after: Any = {"data": dict.fromkeys(before["data"], -1)}
    changed = changes_between(before, after)
    assert [c.path for c in changed.changes] == [f"data.k{n:03}" for n in range(MAX_CHANGES)]
    assert changed.omitted == 20
    assert changed.to_json()["changesOmitted"] == 20


def test_a_deeply_nested_document_is_compared_without_exhausting_the_stack() -> None:
    depth = 5_000
    before: Any = "old"
    after: Any = "new"
    for _ in range(depth):
        before, after = [before], {"k": after}
    assert changes_between({"data": before}, {"data": [after]}).changes[0].path == "data[0]"
    [change] = changes_between({"data": [before]}, {"data": [[before]]}).changes
    assert change.path == "data[0]" + "[0]" * depth
