from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeAlias

JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"

_UNSET = object()


def encode_json(value: object) -> str:
    """Compact JSON, the form boardport stores and sends."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class JsonDocument:
    """A JSON value boardport keeps exactly as it came and does not look inside unless a rule needs
    a field. It holds the text (as a str or as UTF-8 bytes), the parsed value, or both; each is made
    from the other on first use, so a document read from storage and written to an export is never
    parsed.

    Treat `value` as read-only: rules that change a document build a new value, copying what
    they change (`copy_value()`, or new containers along the changed path) and sharing the rest.
    """

    __slots__ = ("_text", "_utf8", "_value")

    def __init__(
        self, *, text: str | None = None, utf8: bytes | None = None, value: object = _UNSET
    ) -> None:
        if text is None and utf8 is None and value is _UNSET:
            raise ValueError("a JsonDocument needs its text or its value")
        self._text = text
        self._utf8 = utf8
        self._value = value

    @classmethod
    def from_text(cls, text: str) -> JsonDocument:
        return cls(text=text)

    @classmethod
    def from_utf8(cls, utf8: bytes) -> JsonDocument:
        """A document from its UTF-8 text, which is what an export sends on as it is."""
        return cls(utf8=utf8)

    @classmethod
    def from_value(cls, value: JsonValue) -> JsonDocument:
        return cls(value=value)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = (
                self._utf8.decode("utf-8") if self._utf8 is not None else encode_json(self._value)
            )
        return self._text

    def text_or(self, encode: Callable[[JsonValue], str]) -> str:
        """The text, made by `encode` (and kept) when only the value is known: storage may
        bring a faster encoder than the standard library's."""
        if self._text is None and self._utf8 is None:
            self._text = encode(self._value)  # type: ignore[arg-type]
        return self.text

    def fresh_text_or(self, encode: Callable[[JsonValue], str]) -> str:
        """The text as `text_or` makes it, without keeping it when it is made from UTF-8: a
        document written once need not hold its text beside its bytes."""
        if self._text is None and self._utf8 is not None:
            return self._utf8.decode("utf-8")
        return self.text_or(encode)

    @property
    def utf8(self) -> bytes:
        """The text as UTF-8: as it came when it came as bytes, encoded (each time) otherwise."""
        return self._utf8 if self._utf8 is not None else self.text.encode("utf-8")

    @property
    def value(self) -> JsonValue:
        if self._value is _UNSET:
            self._value = json.loads(self.text)
        return self._value  # type: ignore[return-value]

    def parsed(self) -> JsonValue:
        """The value, parsed anew when it is not known and not kept: what reads a document
        once, among thousands held as text, does not make each of them hold its value."""
        if self._value is not _UNSET:
            return self._value  # type: ignore[return-value]
        parsed: JsonValue = json.loads(self._text if self._text is not None else self.text_once())
        return parsed

    def text_once(self) -> str:
        """The text, made (and not kept) from the UTF-8 bytes when only those are known."""
        if self._text is None and self._utf8 is not None:
            return self._utf8.decode("utf-8")
        return self.text

    def copy_value(self) -> JsonValue:
        """A private copy of the value, made by the C parser rather than by recursion in Python,
        so a deeply nested document cannot exhaust the stack here."""
        copied: JsonValue = json.loads(self.text)
        return copied

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JsonDocument):
            return NotImplemented
        if self._text is not None and self._text == other._text:
            return True
        if self._utf8 is not None and self._utf8 == other._utf8:
            return True
        if self._same_text(other) or other._same_text(self):
            return True
        if self._matches_text_of(other) or other._matches_text_of(self):
            return True
        return _json_equal(self.value, other.value)

    def _same_text(self, other: JsonDocument) -> bool:
        """Whether this document's UTF-8 bytes are `other`'s text, compared without keeping
        either's conversion (an import compares thousands read from the file with stored ones)."""
        if self._utf8 is None or other._text is None:
            return False
        return len(self._utf8) >= len(other._text) and other._text.encode("utf-8") == self._utf8

    def _matches_text_of(self, other: JsonDocument) -> bool:
        """Whether this document, known only as a value, is written exactly as `other`'s text.
        Equal texts are equal documents, so a stored document compares with a parsed one
        without being parsed. Keeps the text it made: it is what storing would write."""
        if self._text is not None or self._utf8 is not None:
            return False
        if other._text is None and other._utf8 is None:
            return False
        try:
            self._text = encode_json(self._value)
        except ValueError:
            return False
        return self._text == other.text

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        text = self.text
        return f"JsonDocument({text[:60]!r}{'...' if len(text) > 60 else ''})"


def _json_equal(left: object, right: object) -> bool:
    """Equality as JSON sees it: `true` is not `1`, while `1` and `1.0` are the same number."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_json_equal(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_json_equal, left, right))
    if left != right:
        return False
    return type(left) is type(right) or (
        isinstance(left, int | float) and isinstance(right, int | float)
    )


class DerivedDocument(JsonDocument):
    """A document made by `make` each time it is asked for, and never kept: an import rewrites
    thousands of reports' data (new child IDs, the target's XML) and writes each one once, so
    it holds the recipe, not the thousands of rewritten values. `make` must build a new value
    from what does not change."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[], JsonValue]) -> None:
        super().__init__(value=None)
        self._make = make

    @property
    def text(self) -> str:
        return encode_json(self._make())

    def text_or(self, encode: Callable[[JsonValue], str]) -> str:
        return encode(self._make())

    def fresh_text_or(self, encode: Callable[[JsonValue], str]) -> str:
        return encode(self._make())

    @property
    def utf8(self) -> bytes:
        return self.text.encode("utf-8")

    @property
    def value(self) -> JsonValue:
        return self._make()

    def parsed(self) -> JsonValue:
        return self._make()

    def text_once(self) -> str:
        return self.text

    def copy_value(self) -> JsonValue:
        return self._make()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JsonDocument):
            return NotImplemented
        value = self._make()
        if isinstance(other, DerivedDocument):
            return _json_equal(value, other.parsed())
        if other._text is not None or other._utf8 is not None:
            try:
                if encode_json(value) == other.text_once():
                    return True
            except ValueError:
                pass
        return _json_equal(value, other.value)

    def _same_text(self, other: JsonDocument) -> bool:  # noqa: ARG002 - it holds no bytes
        return False

    def _matches_text_of(self, other: JsonDocument) -> bool:
        return self == other

    __hash__ = None


class LoadedDocument(JsonDocument):
    """A document whose UTF-8 text `load` reads each time it is asked for, and never kept: an
    import holds its reports' data where the file lies (a temporary file), not in memory, and
    writes each one once."""

    __slots__ = ("_load", "_parse")

    def __init__(
        self, load: Callable[[], bytes], parse: Callable[[bytes], JsonValue] = json.loads
    ) -> None:
        """`parse` reads the text `load` gives: the standard library's, or a faster parser
        the text is known to suit."""
        super().__init__(value=None)
        self._load = load
        self._parse = parse

    @property
    def text(self) -> str:
        return self._load().decode("utf-8")

    def text_or(self, encode: Callable[[JsonValue], str]) -> str:  # noqa: ARG002 - it has text
        return self.text

    def fresh_text_or(self, encode: Callable[[JsonValue], str]) -> str:  # noqa: ARG002
        return self.text

    @property
    def utf8(self) -> bytes:
        return self._load()

    @property
    def value(self) -> JsonValue:
        return self.parsed()

    def parsed(self) -> JsonValue:
        return self._parse(self._load())

    def text_once(self) -> str:
        return self.text

    def copy_value(self) -> JsonValue:
        return self.parsed()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JsonDocument):
            return NotImplemented
        if isinstance(other, DerivedDocument):
            return other == self
        mine = self._load()
        has_text = other._text is not None or other._utf8 is not None
        if (has_text or isinstance(other, LoadedDocument)) and mine == other.utf8:
            return True
        return _json_equal(self._parse(mine), other.parsed())

    def _same_text(self, other: JsonDocument) -> bool:  # noqa: ARG002 - it holds no bytes
        return False

    def _matches_text_of(self, other: JsonDocument) -> bool:
        return self == other

    __hash__ = None
