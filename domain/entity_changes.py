"""What changes between two versions of one export entity (PUBLIC_API.md §4, "What a dry run
of an overwrite will change"). The server's dry run, the CLI's plan, the web preview and the
history's revision diff all call `changes_between` and only render its result, so that the
four never disagree about what a change is.

The rules, and what this module decided where the contract is silent:

- Both sides are one entity as JSON in the current export format. Everything given is compared;
  the caller leaves out what it does not want shown (and rewrites ids and XML before).
- A dict is compared key by key, in sorted key order, whatever order its keys came in. A key on
  one side only is one change with the other side absent (`ABSENT`, distinct from null).
- `tiles` (a dashboard's) are matched by identity: a report tile by its report id, a text or
  external tile by its place among the tiles of its kind (`domain.change_paths`). A tile's
  `position` and `dimensions` are each compared whole: a move is one change of `.position`
  with `{x, y}` on each side. A tile added or removed is one change of the whole tile. The order
  of the tiles in the list is not a change: the layout is in their positions.
- `data.definitions` are matched by `key`, and their order is not a change either; when a key is
  missing or repeated on either side, they are matched by position.
- Every other list is matched by position; the longer side's extra items are one change each,
  at the end, with the other side absent.
- A value whose JSON type differs (`true` is not `1`; `1` and `1.0` are one number) or a
  scalar that differs is one change at its path, with the whole value on each side.
- Changes come out depth first: a dict's keys in sorted order, matched tiles and definitions in
  the order of the `before` list and then the new ones in the order of the `after` list.
- At most `MAX_CHANGES` changes are kept; `omitted` counts every one past them.
- Any string over `LONG_STRING` characters, wherever it sits in a shown value, is shown as
  `{"sha256": <hex of its UTF-8>, "length": <its length in characters>}`: the XML or a long
  description is named, never copied whole into a plan.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import TypeAlias

from domain.change_paths import definition_segments, key_segment, tile_segments
from domain.json_document import JsonValue

MAX_CHANGES = 100
LONG_STRING = 200


class Absent(Enum):
    """The side of a change on which there was no such field, tile or item."""

    ABSENT = "absent"

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = Absent.ABSENT
Side: TypeAlias = "JsonValue | Absent"


@dataclass(frozen=True, slots=True)
class Change:
    """One changed place of an entity, with what was there before and after (long strings shown
    by their digest). Absent on one side: the place was added or removed."""

    path: str
    before: Side
    after: Side

    def to_json(self) -> dict[str, JsonValue]:
        """The contract's `{"path", "before", "after"}`, without the side that is absent."""
        shown: dict[str, JsonValue] = {"path": self.path}
        if self.before is not ABSENT:
            shown["before"] = self.before
        if self.after is not ABSENT:
            shown["after"] = self.after
        return shown


@dataclass(frozen=True, slots=True)
class EntityChanges:
    """The changes of one entity, and how many more there were past the limit."""

    changes: tuple[Change, ...]
    omitted: int = 0

    def to_json(self) -> dict[str, JsonValue]:
        """`{"changes": [...]}`, with the contract's `changesOmitted` when some were left out."""
        shown: dict[str, JsonValue] = {"changes": [c.to_json() for c in self.changes]}
        if self.omitted:
            shown["changesOmitted"] = self.omitted
        return shown


def changes_between(
    before: JsonValue, after: JsonValue, *, limit: int = MAX_CHANGES
) -> EntityChanges:
    """What changes from `before` to `after`, two versions of one export entity, under the
    module's rules: the first `limit` changes and the count of the rest. Neither side is changed
    or kept; the changes hold copies."""
    kept: list[Change] = []
    omitted = 0
    for path, was, becomes in _differences(before, after, _Place.ROOT):
        if len(kept) < limit:
            kept.append(Change(path, _shown(was), _shown(becomes)))
        else:
            omitted += 1
    return EntityChanges(tuple(kept), omitted)


class _Place(Enum):
    """Where a value sits, for the rules that hold only there."""

    ROOT = "root"
    DATA = "data"
    TILES = "tiles"
    TILE = "tile"
    DEFINITIONS = "definitions"
    WHOLE = "compared whole"
    ANYWHERE = "anywhere"


_CHILD_PLACES = {
    (_Place.ROOT, "data"): _Place.DATA,
    (_Place.ROOT, "tiles"): _Place.TILES,
    (_Place.DATA, "definitions"): _Place.DEFINITIONS,
    (_Place.TILE, "position"): _Place.WHOLE,
    (_Place.TILE, "dimensions"): _Place.WHOLE,
}

_Pending = tuple[str, _Place, Side, Side]


def _differences(before: Side, after: Side, place: _Place) -> Iterator[tuple[str, Side, Side]]:
    """Each change as (path, before, after), in the module's order. Walks with a stack of its
    own, so a deeply nested document does not exhaust Python's."""
    pending: list[_Pending] = [("", place, before, after)]
    while pending:
        path, place, was, becomes = pending.pop()
        if place is _Place.WHOLE and was is not ABSENT and becomes is not ABSENT:
            if next(_differences(was, becomes, _Place.ANYWHERE), None) is not None:
                yield path, was, becomes
        elif isinstance(was, dict) and isinstance(becomes, dict):
            pending.extend(reversed(_dict_children(path, place, was, becomes)))
        elif isinstance(was, list) and isinstance(becomes, list):
            pending.extend(reversed(_list_children(path, place, was, becomes)))
        elif was is ABSENT or becomes is ABSENT or not _same_scalar(was, becomes):
            yield path, was, becomes


def _dict_children(
    path: str, place: _Place, was: dict[str, JsonValue], becomes: dict[str, JsonValue]
) -> list[_Pending]:
    return [
        (
            path + key_segment(key, first=not path),
            _CHILD_PLACES.get((place, key), _Place.ANYWHERE),
            was.get(key, ABSENT),
            becomes.get(key, ABSENT),
        )
        for key in sorted(was.keys() | becomes.keys())
    ]


def _list_children(
    path: str, place: _Place, was: list[JsonValue], becomes: list[JsonValue]
) -> list[_Pending]:
    if place is _Place.TILES:
        return _matched(
            path, _Place.TILE, (tile_segments(was), was), (tile_segments(becomes), becomes)
        )
    if place is _Place.DEFINITIONS:
        was_keys, becomes_keys = definition_segments(was), definition_segments(becomes)
        if was_keys is not None and becomes_keys is not None:
            return _matched(path, _Place.ANYWHERE, (was_keys, was), (becomes_keys, becomes))
    return [
        (
            f"{path}[{position}]",
            _Place.ANYWHERE,
            was[position] if position < len(was) else ABSENT,
            becomes[position] if position < len(becomes) else ABSENT,
        )
        for position in range(max(len(was), len(becomes)))
    ]


def _matched(
    path: str,
    place: _Place,
    was: tuple[list[str], list[JsonValue]],
    becomes: tuple[list[str], list[JsonValue]],
) -> list[_Pending]:
    """Items paired by their identities: `before`'s in its order, then `after`'s new ones."""
    was_by_id = dict(zip(*was, strict=True))
    becomes_by_id = dict(zip(*becomes, strict=True))
    order = list(was_by_id) + [i for i in becomes_by_id if i not in was_by_id]
    return [
        (f"{path}[{i}]", place, was_by_id.get(i, ABSENT), becomes_by_id.get(i, ABSENT))
        for i in order
    ]


def _same_scalar(was: JsonValue, becomes: JsonValue) -> bool:
    """Equality as JSON sees it, for anything but two dicts or two lists."""
    if isinstance(was, bool) or isinstance(becomes, bool):
        return type(was) is type(becomes) and was == becomes
    if isinstance(was, int | float) and isinstance(becomes, int | float):
        return was == becomes
    return type(was) is type(becomes) and was == becomes


def _shown(value: Side) -> Side:
    """A copy of `value` with each long string replaced by its digest, made with a stack of its
    own for the same reason as `_differences`."""
    if not isinstance(value, dict | list):
        return _digest_if_long(value) if isinstance(value, str) else value
    top: list[JsonValue] = [None]
    pending: list[tuple[list[JsonValue] | dict[str, JsonValue], int | str, JsonValue]]
    pending = [(top, 0, value)]
    while pending:
        holder, slot, item = pending.pop()
        copy: JsonValue
        if isinstance(item, dict):
            copy = dict.fromkeys(item)
            pending.extend((copy, k, v) for k, v in item.items())
        elif isinstance(item, list):
            copy = [None] * len(item)
            pending.extend((copy, n, v) for n, v in enumerate(item))
        else:
            copy = _digest_if_long(item) if isinstance(item, str) else item
        holder[slot] = copy  # type: ignore[index]
    return top[0]


def _digest_if_long(text: str) -> JsonValue:
    if len(text) <= LONG_STRING:
        return text
    # surrogatepass: JSON may carry a lone surrogate, which strict UTF-8 cannot encode.
    utf8 = text.encode("utf-8", "surrogatepass")
    return {"sha256": hashlib.sha256(utf8).hexdigest(), "length": len(text)}
