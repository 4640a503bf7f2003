"""The words a plan prints for each kind of change (issue 21): only the domain's changes are
rendered, each as one line."""

# ruff: noqa: RUF001 - a plan writes a tile's size with the multiplication sign
from __future__ import annotations

import hashlib
from typing import Any

from domain.entity_changes import ABSENT, Change, EntityChanges
from entrypoints.cli.change_lines import change_line, change_lines

NAMES = {"r-1": "Invoice count"}


def line(path: str, before: Any = ABSENT, after: Any = ABSENT) -> str:
    return change_line(Change(path, before, after), NAMES)


def digest(text: str) -> dict[str, Any]:
    return {"sha256": hashlib.sha256(text.encode()).hexdigest(), "length": len(text)}


def test_a_short_value_reads_before_and_after() -> None:
    assert line("name", "Report r2", "Approvals per week") == (
        'name: "Report r2" → "Approvals per week"'
    )
    assert line("data.definitions[invoice].versions[0]", "all", "1") == (
        'data.definitions[invoice].versions[0]: "all" → "1"'
    )


def test_a_field_added_or_removed_says_so_with_its_value() -> None:
    added = {"type": "runningInstancesOnly", "filterLevel": "instance"}
    assert line("data.filter[0]", after=added) == (
        'data.filter[0] added: {"type": "runningInstancesOnly", "filterLevel": "instance"}'
    )
    assert line("description", before="old") == 'description removed (was "old")'


def test_a_moved_tile_is_named_by_its_reports_name() -> None:
    assert line("tiles[r-1].position", {"x": 0, "y": 0}, {"x": 6, "y": 0}) == (
        'tile "Invoice count" moved from (0,0) to (6,0)'
    )


def test_a_resized_tile_of_a_report_the_plan_cannot_name_is_named_by_its_id() -> None:
    before, after = {"width": 6, "height": 4}, {"width": 12, "height": 8}
    assert line("tiles[r-9#2].dimensions", before, after) == (
        "tile r-9 (#2) resized from 6×4 to 12×8"
    )


def test_a_tile_added_or_removed_says_where_it_goes() -> None:
    tile = {"type": "text", "position": {"x": 0, "y": 7}, "dimensions": {"width": 9, "height": 2}}
    assert line("tiles[text#2]", after=tile) == "text tile #2 added at (0,7), 9×2"
    assert line("tiles[r-1]", before=tile) == 'tile "Invoice count" removed'
    assert line("tiles[external_url#1]", before=tile) == "external URL tile #1 removed"


def test_a_change_inside_a_text_tile_is_its_path_within_the_tile() -> None:
    assert line("tiles[text#1].configuration.text.root.text", "Welcome", "Hello, team") == (
        'text tile #1: configuration.text.root.text: "Welcome" → "Hello, team"'
    )


def test_the_definition_xml_is_shown_by_its_digests() -> None:
    old, new = digest("<bpmn v1/>" * 30), digest("<bpmn v2/>" * 30)
    assert line("data.configuration.xml", old, new) == (
        f"definition XML changed (sha256 {old['sha256'][:8]}… → {new['sha256'][:8]}…)"
    )


def test_another_long_string_is_shown_by_its_length_and_digest() -> None:
    long = digest("An overview. " * 20)
    assert line("description", None, long) == (
        f"description: null → <260 characters, sha256 {long['sha256'][:8]}…>"
    )


def test_a_long_value_is_cut_on_its_line() -> None:
    shown = line("data.configuration.targetValue", {"values": list(range(60))}, None)
    assert shown.startswith('data.configuration.targetValue: {"values": [0, 1, 2,')
    assert shown.endswith("… → null")


def test_the_changes_the_target_left_out_are_counted_on_a_line_of_their_own() -> None:
    changes = EntityChanges((Change("name", "a", "b"),), omitted=12)
    assert change_lines(changes, {}) == [
        'name: "a" → "b"',
        "… and 12 more changes, which the target did not list",
    ]
