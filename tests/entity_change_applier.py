"""An applier of an entity's changes, for the laws of tests/unit/domain/test_entity_change_laws.py:
it writes each change at its path in `before`, after checking that `before` held the change's
before side there, so that getting `after` back proves each path names one place.

It reads paths with a parser of its own and finds tiles and definitions by identities it
computes itself from PUBLIC_API.md §4 and `domain.change_paths`' docstring, not with the
module under test. Identities are computed from the entities as they are, and only values are
compared digested: a path names a tile by its whole report id and a definition by its whole key,
however long, while the changes show long strings by their digest (so a digested id, a dict,
would no longer be a report id at all)."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Hashable
from typing import Any

from domain.entity_changes import ABSENT, LONG_STRING, Change

_REMOVED = object()
_NAME = re.compile(r"[^.\[]+")
_KINDS = ("text", "external_url", "other")


def parse(path: str) -> list[tuple[str, Any]]:
    """The segments of a path: ("key", name), ("index", n), ("bare", text) or
    ("quoted", (text, count)), where count is the `#n` after a quoted identity (1 without)."""
    segments: list[tuple[str, Any]] = []
    at = 0
    while at < len(path):
        if path.startswith('["', at):
            text, end = json.JSONDecoder().raw_decode(path, at + 1)
            close = path.index("]", end)
            count = path[end:close]
            assert count == "" or re.fullmatch(r"#([2-9]|[1-9][0-9]+)", count), path
            segments.append(("quoted", (text, int(count[1:]) if count else 1)))
        elif path.startswith("[", at):
            close = path.index("]", at)
            inner = path[at + 1 : close]
            is_index = re.fullmatch(r"[0-9]+", inner)
            segments.append(("index", int(inner)) if is_index else ("bare", inner))
        else:
            if segments:
                assert path[at] == ".", path
                at += 1
            name = _NAME.match(path, at)
            assert name is not None, path
            segments.append(("key", name.group()))
            close = name.end() - 1
        at = close + 1
    return segments


def tile_identities(tile_list: list[Any]) -> list[Hashable]:
    """Each tile's identity by the contract: (report id, count) for a report tile, (kind, count)
    for the others."""
    seen: Counter[Hashable] = Counter()
    found: list[Hashable] = []
    for tile in tile_list:
        kind: Hashable = "other"
        if isinstance(tile, dict) and tile.get("type") in ("text", "external_url"):
            kind = tile["type"]
        elif isinstance(tile, dict) and tile.get("type") == "optimize_report":
            kind = ("report", tile["id"]) if isinstance(tile.get("id"), str) else "other"
        seen[kind] += 1
        found.append((kind, seen[kind]))
    return found


def tile_identity(segment: tuple[str, Any]) -> Hashable:
    kind, value = segment
    if kind == "quoted":
        return (("report", value[0]), value[1])
    assert kind == "bare", segment
    name, _, count = value.partition("#") if "#" in value else (value, "", "1")
    return (name if name in _KINDS else ("report", name), int(count))


def by_identity(entity: Any) -> Any:
    """`entity` with its tiles, and its definitions when their keys are unique strings, as dicts
    by identity: the changes leave their order out."""
    if not isinstance(entity, dict):
        return entity
    entity = dict(entity)
    if isinstance(entity.get("tiles"), list):
        entity["tiles"] = dict(zip(tile_identities(entity["tiles"]), entity["tiles"], strict=True))
    data = entity.get("data")
    if isinstance(data, dict) and isinstance(data.get("definitions"), list):
        keyed = definitions_by_key(data["definitions"])
        entity["data"] = data if keyed is None else data | {"definitions": keyed}
    return entity


def definitions_by_key(found: list[Any]) -> dict[str, Any] | None:
    keys_ = [d.get("key") if isinstance(d, dict) else None for d in found]
    strings = [k for k in keys_ if isinstance(k, str)]
    if len(strings) == len(keys_) and len(set(strings)) == len(strings):
        return dict(zip(strings, found, strict=True))
    return None


def slot_of(container: Any, segment: tuple[str, Any], where: list[tuple[str, Any]]) -> Any:
    kind, value = segment
    if isinstance(container, ByIdentity) and where == TILES:
        return tile_identity(segment)
    if isinstance(container, ByIdentity):
        assert kind in ("bare", "quoted"), segment
    elif isinstance(container, dict):
        assert kind in ("key", "quoted"), segment
    else:
        assert kind == "index", segment
        return value
    assert kind != "quoted" or value[1] == 1, segment
    return value[0] if kind == "quoted" else value


TILES = [("key", "tiles")]
DEFINITIONS = [("key", "data"), ("key", "definitions")]


def apply(before: Any, changes: tuple[Change, ...]) -> Any:
    """`before` (as it is, not digested) with each change written at its path, after checking
    that `before` held the change's before side there, digested. Tiles are found by identity, and
    definitions by key once a path names one by key, which it may do only when their keys are
    unique. What is written is the change's after side, digested: compare the result digested."""
    holder: Any = {"": tree_copy(before)}
    for change in changes:
        segments, container, slot = parse(change.path), holder, ""
        for depth, segment in enumerate(segments):
            inner = container[slot] = by_identity_at(segments[:depth], container[slot], segment)
            container, slot = inner, slot_of(inner, segment, segments[:depth])
        write(container, slot, change)
    return without_removed(holder[""])


def tree_copy(value: Any) -> Any:
    """`value` copied as the tree a JSON document is: a dict or list that `value` holds at two
    places (a generator may share one `appliedTo` list between filters) becomes two, so that a
    change written at one place is not written at the other. `copy.deepcopy` keeps them shared."""
    if isinstance(value, dict):
        return {k: tree_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [tree_copy(v) for v in value]
    return value


class ByIdentity(dict[Hashable, Any]):
    """A list of tiles or definitions that the applier holds by identity."""


def by_identity_at(where: list[tuple[str, Any]], inner: Any, segment: tuple[str, Any]) -> Any:
    """The list of tiles or definitions at `where` as a dict by identity, when `segment` names
    one of them by identity; anything else as it is."""
    if where == TILES and isinstance(inner, list):
        return ByIdentity(zip(tile_identities(inner), inner, strict=True))
    if where == DEFINITIONS and segment[0] != "index" and isinstance(inner, list):
        keyed = definitions_by_key(inner)
        assert keyed is not None, "definitions matched by key while a key repeats"
        return ByIdentity(keyed)
    return inner


def write(container: Any, slot: Any, change: Change) -> None:
    if isinstance(container, dict):
        assert same(digested(container.get(slot, ABSENT)), change.before), change
        if change.after is ABSENT:
            del container[slot]
        else:
            container[slot] = change.after
        return
    held = container[slot] if slot < len(container) else ABSENT
    assert same(digested(held), change.before), change
    if change.after is ABSENT:
        container[slot] = _REMOVED
    elif slot == len(container):
        container.append(change.after)
    else:
        container[slot] = change.after


def without_removed(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_removed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_removed(v) for v in value if v is not _REMOVED]
    return value


def same(left: Any, right: Any) -> bool:
    """Equality as JSON sees it: `true` is not `1`; `1` and `1.0` are one number."""
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(same, left, right))
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    numbers = (int, float)
    if isinstance(left, numbers) and isinstance(right, numbers):
        return left == right
    return type(left) is type(right) and left == right


def digested(value: Any) -> Any:
    """`value` as the changes show it: each string over the limit by its SHA-256 and length."""
    if isinstance(value, dict):
        return {k: digested(v) for k, v in value.items()}
    if isinstance(value, list):
        return [digested(v) for v in value]
    if isinstance(value, str) and len(value) > LONG_STRING:
        return {"sha256": hashlib.sha256(value.encode()).hexdigest(), "length": len(value)}
    return value
