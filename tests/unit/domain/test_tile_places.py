"""Reading a change path's tile back (`tile_place`), for a renderer's words: every segment that
`tile_segments` writes is read as the tile it was written for, whatever its report id."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from domain.change_paths import REPORT_TILE, TilePlace, tile_place, tile_segments

report_ids = st.sampled_from(["r1", "text", "other", "12", "a#2", 'q"', "a]b", " s", "日本", ""])
tiles = st.one_of(
    st.builds(lambda i: {"type": "optimize_report", "id": i}, report_ids),
    st.sampled_from([{"type": "text", "id": ""}, {"type": "external_url", "id": ""}]),
    st.sampled_from([{"type": "dashboard_link"}, "not a tile"]),
)


def expected(tiles: list[Any], position: int) -> tuple[str, str | None, int]:
    """The kind, report id and count of the tile at `position`, counted by hand."""
    tile = tiles[position]

    def same(other: Any) -> bool:
        return kind_of(other) == kind_of(tile)

    count = sum(1 for other in tiles[: position + 1] if same(other))
    kind, report_id = kind_of(tile)
    return kind, report_id, count


def kind_of(tile: Any) -> tuple[str, str | None]:
    if not isinstance(tile, dict):
        return "other", None
    if tile.get("type") == REPORT_TILE and isinstance(tile.get("id"), str):
        return REPORT_TILE, tile["id"]
    if tile.get("type") in ("text", "external_url"):
        return tile["type"], None
    return "other", None


@given(st.lists(tiles, max_size=6), st.sampled_from(["", ".position", ".configuration.text"]))
def test_each_tile_segment_is_read_back_as_the_tile_it_names(tiles: list[Any], rest: str) -> None:
    for position, segment in enumerate(tile_segments(tiles)):
        place = tile_place(f"tiles[{segment}]{rest}")
        assert place is not None
        assert (place.kind, place.report_id, place.count) == expected(tiles, position)
        assert place.rest == rest


def test_a_report_id_that_is_a_kind_is_read_as_a_report() -> None:
    assert tile_place('tiles["text"#2].position') == TilePlace(REPORT_TILE, "text", 2, ".position")
    assert tile_place("tiles[text#2].position") == TilePlace("text", None, 2, ".position")


def test_a_path_that_names_no_tile_is_none() -> None:
    paths = ("name", "data.tiles[r1]", "tiles[r1", "tiles[r1#0]", 'tiles["r1]', "tiles", "tiles[]")
    for path in (*paths, "tiles[3].position", "tiles[03]"):
        assert tile_place(path) is None
