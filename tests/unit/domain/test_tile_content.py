from __future__ import annotations

from typing import Any

from domain.dashboard import Tile, TileType
from domain.json_document import JsonDocument, JsonValue
from domain.tile_content import tile_text, tile_url
from tests.builders.domain import external_tile, report_tile


def lexical(*blocks: JsonValue) -> Tile:
    root: JsonValue = {"type": "root", "children": list(blocks)}
    return Tile(TileType.TEXT, None, 0, 0, 6, 2, JsonDocument.from_value({"text": {"root": root}}))


def block(kind: str, *texts: str) -> JsonValue:
    return {"type": kind, "children": [{"type": "text", "text": t} for t in texts]}


def test_a_text_tiles_blocks_become_lines_of_plain_text() -> None:
    tile = lexical(
        block("heading", "Invoice approval ", "at a glance"),
        block("paragraph", "Every invoice is routed."),
        {"type": "list", "children": [block("listitem", "one"), block("listitem", "two")]},
    )
    assert tile_text(tile) == "Invoice approval at a glance\nEvery invoice is routed.\none\ntwo"


def test_a_line_break_inside_a_paragraph_starts_a_new_line() -> None:
    tile = lexical(
        {
            "type": "paragraph",
            "children": [
                {"type": "text", "text": "first"},
                {"type": "linebreak"},
                {"type": "text", "text": "second"},
            ],
        }
    )
    assert tile_text(tile) == "first\nsecond"


def test_an_unreadable_text_tree_gives_no_text_rather_than_failing() -> None:
    configuration: Any
    for configuration in ({"text": "plain"}, {"text": {"root": [1, 2]}}, {}, []):
        tile = Tile(TileType.TEXT, None, 0, 0, 1, 1, JsonDocument.from_value(configuration))
        assert tile_text(tile) == ""


def test_only_text_tiles_have_text_and_only_external_tiles_an_address() -> None:
    external = external_tile("https://example.com/board")
    assert tile_url(external) == "https://example.com/board"
    assert tile_text(external) == ""
    assert tile_url(report_tile("r1")) == ""
    assert tile_url(lexical(block("paragraph", "x"))) == ""
