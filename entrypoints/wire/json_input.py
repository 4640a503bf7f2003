"""Reads request JSON strictly: what a lenient parser would guess at is refused instead."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator

from domain.json_document import JsonValue

_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class JsonRejected(ValueError):
    """The body is not JSON boardport will act on; the message says why, for a client to read."""


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _object(pairs: list[tuple[str, JsonValue]]) -> dict[str, JsonValue]:
    value = dict(pairs)
    if len(value) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return value


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise JsonRejected(f"holds the number {text}, which is too large to represent")
    return number


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        # Python refuses to convert more digits than sys.get_int_max_str_digits() (4300).
        raise JsonRejected(
            f"holds an integer of {len(text)} digits, which is too large to represent"
        ) from None


def _constant(name: str) -> float:
    raise JsonRejected(f"holds {name}, which is not JSON")


def iter_strings(value: JsonValue) -> Iterator[str]:
    """Every string in a JSON value, object keys included, without recursion."""
    pending: list[JsonValue] = [value]
    while pending:
        item = pending.pop()
        if type(item) is str:
            yield item
        elif type(item) is dict:
            yield from item.keys()
            pending.extend(item.values())
        elif type(item) is list:
            pending.extend(item)


def decode_strict(body: bytes, *, max_depth: int) -> JsonValue:
    """The JSON value of `body`. Refused: bytes that are not UTF-8, invalid JSON, an object with
    the same key twice, NaN or Infinity, numbers beyond a double, integers of more digits than
    Python converts, an escaped lone surrogate (`"\\ud800"`, which is no Unicode text and cannot
    be stored), nesting deeper than `max_depth`."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise JsonRejected(f"is not UTF-8 (byte {error.start} cannot be decoded)") from None
    try:
        value: JsonValue = json.loads(
            text,
            object_pairs_hook=_object,
            parse_float=_finite,
            parse_int=_integer,
            parse_constant=_constant,
        )
    except _DuplicateKey as duplicate:
        raise JsonRejected(f'has an object with the key "{duplicate.key}" twice') from None
    except json.JSONDecodeError as error:
        raise JsonRejected(
            f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise JsonRejected(f"is nested deeper than {max_depth} levels") from None
    if _depth_exceeds(value, max_depth):
        raise JsonRejected(f"is nested deeper than {max_depth} levels")
    if _SURROGATE_ESCAPE.search(text) and any(_SURROGATE.search(s) for s in iter_strings(value)):
        raise JsonRejected(
            "holds an unpaired surrogate escape (\\ud800 to \\udfff), which is not Unicode text"
        )
    return value


def _depth_exceeds(value: JsonValue, max_depth: int) -> bool:
    level: list[JsonValue] = [value]
    depth = 0
    while level:
        depth += 1
        if depth > max_depth:
            return True
        deeper: list[JsonValue] = []
        for item in level:
            if type(item) is dict:
                deeper.extend([v for v in item.values() if type(v) in (dict, list)])
            elif type(item) is list:
                deeper.extend([v for v in item if type(v) in (dict, list)])
        level = deeper
    return False
