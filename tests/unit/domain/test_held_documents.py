"""The documents an import holds instead of parsed values: read or made each time they are
asked for, never kept, and equal to any document of the same JSON."""

from __future__ import annotations

import json

from domain.json_document import DerivedDocument, JsonDocument, JsonValue, LoadedDocument

VALUE: JsonValue = {"a": [1, 2.5, "é"], "b": None}
TEXT = json.dumps(VALUE, separators=(",", ":"), ensure_ascii=False)


class Counted:
    """A source that counts how often it is asked."""

    def __init__(self) -> None:
        self.calls = 0

    def load(self) -> bytes:
        self.calls += 1
        return TEXT.encode()

    def make(self) -> JsonValue:
        self.calls += 1
        made: JsonValue = json.loads(TEXT)
        return made


def test_a_loaded_document_reads_its_text_each_time_and_keeps_nothing() -> None:
    source = Counted()
    document = LoadedDocument(source.load)
    assert document.text == TEXT
    assert document.fresh_text_or(lambda _: "unused") == TEXT
    assert document.value == VALUE
    assert document.parsed() == VALUE
    assert source.calls == 4


def test_a_derived_document_makes_its_value_each_time_and_keeps_nothing() -> None:
    source = Counted()
    document = DerivedDocument(source.make)
    assert document.value == VALUE
    assert document.fresh_text_or(json.dumps) == json.dumps(VALUE)
    assert document.text == TEXT
    assert source.calls == 3


def test_held_documents_equal_any_document_of_the_same_json() -> None:
    loaded = LoadedDocument(Counted().load)
    derived = DerivedDocument(Counted().make)
    others = [
        JsonDocument.from_text(TEXT),
        JsonDocument.from_utf8(TEXT.encode()),
        JsonDocument.from_value(json.loads(TEXT)),
        JsonDocument.from_text(json.dumps(VALUE, indent=2)),  # the same JSON, written otherwise
    ]
    for other in [*others, loaded, derived]:
        assert loaded == other
        assert other == loaded
        assert derived == other
        assert other == derived
    different = JsonDocument.from_value({"a": [1, 2.5, "e"], "b": None})
    assert loaded != different
    assert derived != different
    assert different != loaded
    assert different != derived
