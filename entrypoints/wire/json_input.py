"""Reads request JSON strictly: what a lenient parser would guess at is refused instead."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

from domain.json_document import JsonValue

_SURROGATE = re.compile("[\ud800-\udfff]")
# A number that may overflow a double: a number token (not a letter, dot or sign before it, so
# not inside an ID such as "...-4e172...") with an exponent of three digits or more, or 309 digits.
# It only decides whether to check numbers one by one, so a match inside a string merely costs time.
_MAYBE_HUGE_NUMBER = re.compile(r"(?<![\w.+\-])-?\d+(?:\.\d+)?[eE][+-]?\d{3}|\d{309}")
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


def _constant(name: str) -> float:
    raise JsonRejected(f"holds {name}, which is not JSON")


def strict_decoder() -> json.JSONDecoder:
    """A decoder that refuses, while it reads, what `decode_strict` refuses while parsing: a key
    twice in one object, NaN and Infinity, numbers beyond a double (each checked as it is read).
    Depth and lone surrogates are for `still_refused` to decide on what it read."""
    return json.JSONDecoder(
        object_pairs_hook=_object, parse_float=_finite, parse_constant=_constant
    )


DecoderRefusal = (ValueError, RecursionError, _DuplicateKey)
"""What a strict decoder raises for what it refuses (a JSONDecodeError is a ValueError)."""


def still_refused(text: str, utf8: bytes, value: JsonValue, max_depth: int) -> bool:
    """Whether `value`, read by a strict decoder from `text` (`utf8` as UTF-8), is refused all
    the same: nested deeper than `max_depth`, or holding an escaped lone surrogate."""
    # No deeper than it has opening brackets (those in strings included): two bytes.count.
    if utf8.count(b"{") + utf8.count(b"[") > max_depth and _too_deep(utf8, value, max_depth):
        return True
    return bool(_SURROGATE_ESCAPE.search(text)) and any(
        _SURROGATE.search(s) for s in iter_strings(value)
    )


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


def decode_strict(body: bytes, *, max_depth: int, each_float: bool = False) -> JsonValue:
    """The JSON value of `body`. Refused: bytes that are not UTF-8, invalid JSON, an object with
    the same key twice, NaN or Infinity, numbers beyond a double, integers of more digits than
    Python converts, an escaped lone surrogate (`"\\ud800"`, which is no Unicode text and cannot
    be stored), nesting deeper than `max_depth`. With `each_float`, every number with a fraction
    or exponent is checked as it is read, instead of the text being searched for one that may
    overflow first: cheaper for the many small documents of an import file, where the search
    runs through each one whole (a large document usually stops it early)."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise JsonRejected(f"is not UTF-8 (byte {error.start} cannot be decoded)") from None
    # The number hook is a Python call per number, so it runs only when a number may overflow.
    floats = _finite if each_float or _MAYBE_HUGE_NUMBER.search(text) else float
    try:
        value: JsonValue = json.loads(
            text, object_pairs_hook=_object, parse_float=floats, parse_constant=_constant
        )
    except _DuplicateKey as duplicate:
        raise JsonRejected(f'has an object with the key "{duplicate.key}" twice') from None
    except json.JSONDecodeError as error:
        raise JsonRejected(
            f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise JsonRejected(f"is nested deeper than {max_depth} levels") from None
    except JsonRejected:
        raise  # a hook's own refusal, already in words (a ValueError too, so before the next)
    except ValueError:
        # Python refuses to convert more digits than sys.get_int_max_str_digits() (4300).
        raise JsonRejected("holds an integer too large to represent") from None
    if _too_deep(body, value, max_depth):
        raise JsonRejected(f"is nested deeper than {max_depth} levels")
    if _SURROGATE_ESCAPE.search(text) and any(_SURROGATE.search(s) for s in iter_strings(value)):
        raise JsonRejected(
            "holds an unpaired surrogate escape (\\ud800 to \\udfff), which is not Unicode text"
        )
    return value


_NOT_QUOTE_OR_BRACKET = bytes(b for b in range(256) if b not in b'"[]{}')
_INNERMOST_PAIR = re.compile(rb"\[\]|\{\}")


def _too_deep(body: bytes, value: JsonValue, limit: int) -> bool:
    """Two exact ways, each cheap where the other is not. Reading the bytes costs a few C passes
    over them; walking the parsed value costs a Python step per array and object. Escapes make
    the bytes costly to read (XML in reports is full of `\\"`), and big strings mean few
    containers to walk; without escapes the bytes are read in a few whole-buffer passes."""
    if b"\\" in body:
        return value_deeper_than(value, limit)
    return nested_deeper_than(body, limit)


def value_deeper_than(value: JsonValue, limit: int) -> bool:
    """Level by level through the parsed value, visiting only arrays and objects."""
    level: list[Any] = [value] if type(value) in (dict, list) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        deeper: list[Any] = []
        add = deeper.extend
        for item in level:  # every item is a dict or a list
            members = item.values() if type(item) is dict else item
            add([v for v in members if type(v) is dict or type(v) is list])
        level = deeper
    return False


def nested_deeper_than(document: bytes, limit: int) -> bool:
    """Whether valid JSON nests arrays and objects more than `limit` deep, read from the bytes
    by whole-buffer operations rather than by walking the parsed value. Escaped backslashes go
    first, then escaped quotes (the only escapes that can hide a quote; no quote inside a string
    counts); then everything but quotes and brackets; then runs of quotes shrink to their
    parity, which keeps every bracket on its side of a string boundary, so that splitting at the
    few quotes left drops the brackets inside strings. What remains is the structure alone, and
    each round of removing innermost `[]` and `{}` pairs peels exactly one level."""
    plain = document.replace(b"\\\\", b"").replace(b'\\"', b"") if b"\\" in document else document
    marks = plain.translate(None, _NOT_QUOTE_OR_BRACKET).replace(b'""', b"")
    structure = b"".join(marks.split(b'"')[0::2]) if b'"' in marks else marks
    for _ in range(limit):
        if not structure:
            return False
        structure = _INNERMOST_PAIR.sub(b"", structure)
    return bool(structure)
