"""The path syntax of an entity's changes (see `domain.entity_changes`): how a dict key, a list
position and a matched tile or definition are written, so that each path names one place.

A path is a chain of segments, the first without its dot:

- `.name` is a dict key made only of word characters and `$@:-` (`data.configuration.color`);
  any other key is written in brackets as a JSON string: `data.configuration["a.b"]`.
- `[3]` is a list position (ASCII digits only).
- `[<identity>]` is a tile or a definition matched by what it is (a report id, a definition
  key). An identity is written bare when it is not empty, not all ASCII digits, printable,
  without surrounding spaces and without `#`, `[`, `]` or `"`; otherwise as a JSON string,
  `["a]b"]`. So a bracket opening with `"` holds a key in a dict and an identity in a list:
  the container says which, and both sides of a change agree on it.

Tiles (`tiles[...]`, see `tile_segments`):

- a report tile is its report id, `tiles[<report id>]`; the 2nd, 3rd ... tile of the same report,
  in list order, is `tiles[<report id>#2]`, `tiles[<report id>#3]`. A report id that is a tile
  kind (`text`, `external_url`, `other`) is written as a JSON string, so no report is mistaken
  for a kind.
- a text or external-URL tile is its kind and its place among the tiles of that kind, from 1:
  `tiles[text#1]`, `tiles[external_url#2]`. Adding a report tile before it does not rename it.
- any other tile (an unknown type, or a report tile without a string id) is `tiles[other#n]`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from domain.json_document import JsonValue

REPORT_TILE = "optimize_report"
TILE_KINDS = ("text", "external_url", "other")
"""The kinds of tiles matched by their place among their kind; reserved as report ids."""

_BARE_KEY = re.compile(r"[\w$@:-]+")
_DIGITS = re.compile(r"[0-9]+")
_NOT_BARE = frozenset('#[]"')


def key_segment(key: str, *, first: bool) -> str:
    """A dict key as a segment: `.name`, or `name` at the start of a path, or `["..."]`."""
    if _BARE_KEY.fullmatch(key):
        return key if first else "." + key
    return f"[{_quoted(key)}]"


def identity(value: str, reserved: Sequence[str] = ()) -> str:
    """A matched item's identity as written inside brackets: bare when it cannot be read as a
    position, a JSON string, a `#` suffix or one of `reserved`, else quoted."""
    bare = (
        value != ""
        and not _DIGITS.fullmatch(value)
        and value.isprintable()
        and value.strip() == value
        and _NOT_BARE.isdisjoint(value)
        and value not in reserved
    )
    return value if bare else _quoted(value)


def tile_segments(tiles: Sequence[JsonValue]) -> list[str]:
    """Each tile's identity, in list order (see the module's docstring)."""
    seen: dict[tuple[str, str], int] = {}
    segments = []
    for tile in tiles:
        kind, report_id = _kind_of(tile)
        count = seen[kind, report_id] = seen.get((kind, report_id), 0) + 1
        if kind != REPORT_TILE:
            segments.append(f"{kind}#{count}")
        else:
            suffix = f"#{count}" if count > 1 else ""
            segments.append(identity(report_id, TILE_KINDS) + suffix)
    return segments


def definition_segments(definitions: Sequence[JsonValue]) -> list[str] | None:
    """Each definition's identity, its `key`; None when one has no string key or two share
    one, and the definitions are then matched by their positions."""
    keys = [d.get("key") if isinstance(d, dict) else None for d in definitions]
    strings = [k for k in keys if isinstance(k, str)]
    if len(strings) != len(keys) or len(set(strings)) != len(strings):
        return None
    return [identity(k) for k in strings]


@dataclass(frozen=True, slots=True)
class TilePlace:
    """The tile a change path names, read back from its segment (for a renderer's words)."""

    kind: str
    """`optimize_report`, or one of `TILE_KINDS`."""
    report_id: str | None
    """A report tile's report id."""
    count: int
    """Which tile of that report, or of that kind, from 1."""
    rest: str
    """The path inside the tile (`.position`), empty when the change is of the whole tile."""


_TILES = "tiles["
_COUNT = re.compile(r"#([1-9][0-9]*)")
_BARE_IDENTITY = re.compile(r"[^#\]]*")
_DECODER = json.JSONDecoder()


def tile_place(path: str) -> TilePlace | None:
    """The tile a path of a dashboard's change names (`tiles[<identity>]...`, as
    `tile_segments` writes it); None for any other path, `tiles[3]` (a position) among them."""
    if not path.startswith(_TILES):
        return None
    start = len(_TILES)
    quoted = path.startswith('"', start)
    if quoted:
        try:
            name, end = _DECODER.raw_decode(path, start)
        except ValueError:
            return None
    else:
        bare = _BARE_IDENTITY.match(path, start)
        assert bare is not None  # noqa: S101 - the pattern matches the empty string too
        name, end = bare[0], bare.end()
    counted = _COUNT.match(path, end)
    count, end = (int(counted[1]), counted.end()) if counted else (1, end)
    if not path.startswith("]", end) or not isinstance(name, str):
        return None
    if not quoted and (not name or _DIGITS.fullmatch(name)):
        return None  # a list position, not a tile's identity
    rest = path[end + 1 :]
    if not quoted and name in TILE_KINDS:
        return TilePlace(name, None, count, rest)
    return TilePlace(REPORT_TILE, name, count, rest)


def _kind_of(tile: JsonValue) -> tuple[str, str]:
    if not isinstance(tile, dict):
        return "other", ""
    tile_type, tile_id = tile.get("type"), tile.get("id")
    if tile_type == REPORT_TILE and isinstance(tile_id, str):
        return REPORT_TILE, tile_id
    if tile_type in TILE_KINDS[:2]:
        return str(tile_type), ""
    return "other", ""


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)
