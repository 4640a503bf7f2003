"""The words for an entity's changes (`domain.entity_changes`), one line each, as a plan (and
any other command that shows a diff) prints them. This only renders the domain's changes; it
never compares anything itself.

- A tile's move and resize: `tile "Invoice count" moved from (0,0) to (6,0)`, `... resized from
  6{TIMES}4 to 12{TIMES}8`; a tile of the whole added or removed: `... added at (0,0),
  6{TIMES}4`, `... removed`.
  A report tile is named by its report's name when the caller knows it, else by the report id;
  a text or external tile by its place among its kind (`text tile #1`).
- The definition XML: `definition XML changed (sha256 1a2b3c4d… → 9f8e7d6c…)`.
- Anything else: `<path>: <before> → <after>`, `<path> added: <after>`, `<path> removed (was
  <before>)`, each value as compact JSON; a value longer than `SHORT` characters is cut with
  `…` (--json shows it whole), and a long string the target gave by its digest is shown as
  `<288 characters, sha256 1a2b3c4d…>`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from domain.change_paths import REPORT_TILE, TilePlace, tile_place
from domain.entity_changes import ABSENT, Change, EntityChanges, Side

SHORT = 100
"""Characters of a value shown on a line."""
DIGEST_SHOWN = 8
"""Hex digits of a sha256 shown."""
XML_PATH = "data.configuration.xml"
ARROW = "→"
TIMES = "\u00d7"
"""The multiplication sign, between a tile's width and height."""


def change_lines(changes: EntityChanges, report_names: Mapping[str, str]) -> list[str]:
    """One line per change, then one for those the target left out. `report_names`: a report's
    name by its id on the target, for the tiles."""
    lines = [change_line(change, report_names) for change in changes.changes]
    if changes.omitted:
        lines.append(f"… and {changes.omitted} more changes, which the target did not list")
    return lines


def change_line(change: Change, report_names: Mapping[str, str]) -> str:
    tile = tile_place(change.path)
    if tile is not None:
        return _tile_line(tile, change, report_names)
    if change.path == XML_PATH and (_digest(change.before) or _digest(change.after)):
        return _xml_line(change)
    return _field_line(change.path, change.before, change.after)


def _tile_line(tile: TilePlace, change: Change, report_names: Mapping[str, str]) -> str:
    label = _tile_label(tile, report_names)
    before, after = change.before, change.after
    if not tile.rest:
        if before is ABSENT:
            return f"{label} added{_placed(after)}"
        if after is ABSENT:
            return f"{label} removed"
    moved = tile.rest == ".position" and _point(before) and _point(after)
    if moved:
        return f"{label} moved from {_point(before)} to {_point(after)}"
    resized = tile.rest == ".dimensions" and _size(before) and _size(after)
    if resized:
        return f"{label} resized from {_size(before)} to {_size(after)}"
    return f"{label}: {_field_line(tile.rest.removeprefix('.'), before, after)}"


def _tile_label(tile: TilePlace, report_names: Mapping[str, str]) -> str:
    which = f" (#{tile.count})" if tile.count > 1 else ""
    if tile.kind == REPORT_TILE and tile.report_id is not None:
        name = report_names.get(tile.report_id)
        shown = json.dumps(name, ensure_ascii=False) if name else tile.report_id
        return f"tile {shown}{which}"
    kinds = {"text": "text tile", "external_url": "external URL tile"}
    return f"{kinds.get(tile.kind, 'tile of another kind')} #{tile.count}"


def _placed(tile: Side) -> str:
    if not isinstance(tile, dict):
        return ""
    point, size = _point(tile.get("position", ABSENT)), _size(tile.get("dimensions", ABSENT))
    return f" at {point}, {size}" if point and size else ""


def _point(value: Side) -> str:
    if isinstance(value, dict) and _numbers(value, "x", "y"):
        return f"({_number(value['x'])},{_number(value['y'])})"
    return ""


def _size(value: Side) -> str:
    if isinstance(value, dict) and _numbers(value, "width", "height"):
        return f"{_number(value['width'])}{TIMES}{_number(value['height'])}"
    return ""


def _numbers(value: Mapping[str, object], *keys: str) -> bool:
    return all(
        isinstance(value.get(k), int | float) and not isinstance(value.get(k), bool) for k in keys
    )


def _number(value: object) -> str:
    return json.dumps(value)


def _xml_line(change: Change) -> str:
    before, after = _digest(change.before), _digest(change.after)
    if before and after:
        return f"definition XML changed (sha256 {before} {ARROW} {after})"
    if after:
        return f"definition XML added (sha256 {after})"
    return f"definition XML removed (sha256 {before})"


def _digest(value: Side) -> str:
    """The short form of a long string's digest, as the target shows one; empty otherwise."""
    if isinstance(value, dict) and value.keys() == {"sha256", "length"}:
        digest = value["sha256"]
        if isinstance(digest, str):
            return digest[:DIGEST_SHOWN] + "…"
    return ""


def _field_line(path: str, before: Side, after: Side) -> str:
    if before is ABSENT:
        return f"{path} added: {_value(after)}"
    if after is ABSENT:
        return f"{path} removed (was {_value(before)})"
    return f"{path}: {_value(before)} {ARROW} {_value(after)}"


def _value(value: Side) -> str:
    digest = _digest(value)
    if digest and isinstance(value, dict):
        return f"<{value['length']} characters, sha256 {digest}>"
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"
