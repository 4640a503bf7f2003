"""The import file read entity by entity from its spooled body agrees with the whole-file
parse: the same values, the same refusals in the same words, wherever the reads split it."""

from __future__ import annotations

import json
import tempfile
from typing import IO

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import ImportFileInvalid
from domain.export_format.reader import EntityStream, read_export_file
from domain.json_document import JsonDocument, JsonValue
from domain.limits import InputLimits
from entrypoints.wire import spooled_import
from entrypoints.wire.import_body import ImportFileReader

READER = ImportFileReader(max_depth=8)

BODIES = [
    b"[]",
    b" [ ]\n",
    b'[1, 2.5, "x", null, true]',
    b'[{"id":"a","data":{"x":1}}]',
    b'[{"id":"a","data":{"x": 1}}]',
    b'[{"a":1,"a":2}]',
    b'[{"id":"a"},{"b":{"c":1,"c":1}}]',
    b"[NaN]",
    b"[1, -Infinity]",
    b"[1e400]",
    b"[" + b"9" * 5000 + b"]",
    b"[1] x",
    b"[1] ]",
    b"[1,]",
    b"[1 2]",
    b"[",
    b'["abc',
    b'{"id": 1}',
    b'"x"',
    b"\xef\xbb\xbf[1]",
    b"\x0b[1]",
    b"[" + b"[" * 8 + b"]" * 8 + b"]",
    b"[" + b"[" * 7 + b"]" * 7 + b"]",
    b'[{"a":"\\"[[[[[[[[[["}]',
    b'["\\ud800"]',
    b'["\\ud83d\\ude00"]',
    b'["\xff"]',
    b'["caf\xc3"]',
    '[{"id":"é","data":{"n":"éé","k":"日本"}}, 3]'.encode(),
    b"[1]\n\n  ",
]


def spooled(body: bytes) -> IO[bytes]:
    file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the fixture's caller
    file.write(body)
    file.flush()
    return file


def outcome(read: object) -> tuple[str, object]:
    """What reading gives: the values, or the refusal's words."""
    try:
        document = read() if callable(read) else read
        if isinstance(document, EntityStream):
            return "values", [value for value, _ in document]
        return "values", document if not isinstance(document, dict) else [document]
    except ImportFileInvalid as refused:
        return "refused", str(refused)


def whole(body: bytes) -> tuple[str, object]:
    return outcome(lambda: READER(body))


def by_entity(body: bytes) -> tuple[str, object]:
    with spooled(body) as file:
        return outcome(lambda: READER.from_file(file))


@pytest.fixture(params=[spooled_import.WINDOW_BYTES, 5], ids=["one read", "reads of 5 bytes"])
def window(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    size: int = request.param
    monkeypatch.setattr(spooled_import, "WINDOW_BYTES", size)
    return size


@pytest.mark.parametrize("body", BODIES)
def test_reading_entity_by_entity_agrees_with_the_whole_file_parse(
    body: bytes, window: int
) -> None:
    assert by_entity(body) == whole(body)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(json_values, max_size=6), st.sampled_from([None, 1]), st.integers(0, 12))
def test_any_array_reads_the_same_and_any_cut_of_it_is_refused_the_same(
    entities: list[JsonValue], indent: int | None, cut: int
) -> None:
    body = json.dumps(entities, indent=indent, ensure_ascii=False).encode()
    assert by_entity(body) == whole(body)
    truncated = body[: max(1, len(body) - cut)]
    assert by_entity(truncated) == whole(truncated)


def test_compact_report_data_is_held_where_it_lies_and_reads_back_exactly(window: int) -> None:
    data = {"view": {"entity": "processInstance"}, "name": "naïve", "n": [1, 2.5]}
    entities = [{"id": "a", "data": data}, {"id": "b"}]
    body = json.dumps(entities, ensure_ascii=False, separators=(",", ":")).encode()
    with spooled(body) as file:
        document = READER.from_file(file)
        assert isinstance(document, EntityStream)
        (_, held), (_, none) = list(document)
        assert isinstance(held, JsonDocument)
        assert held.utf8 == msgspec.json.encode(data)
        assert held.value == data
        assert none is None


def test_data_not_written_as_storing_writes_it_is_not_held_as_text() -> None:
    body = b'[{"id": "a", "data": {"x": 1, "s": "\\u00e9"}}]'
    with spooled(body) as file:
        document = READER.from_file(file)
        assert isinstance(document, EntityStream)
        [(value, held)] = list(document)
    assert held is None
    assert value == {"id": "a", "data": {"x": 1, "s": "é"}}


def test_a_file_over_the_entity_limit_that_is_not_json_is_refused_as_not_json() -> None:
    limits = InputLimits(max_import_entities=2)
    with spooled(b'[{"id":1},{"id":2},{"id":3},{"id":4,"id":4}]') as file:
        with pytest.raises(ImportFileInvalid, match='the key "id" twice') as refused:
            read_export_file(READER.from_file(file), limits)
        assert refused.value.limit is None
    with spooled(b'[{"id":1},{"id":2},{"id":3},{"id":4}]') as file:
        with pytest.raises(ImportFileInvalid, match="holds 4 entities") as counted:
            read_export_file(READER.from_file(file), limits)
        assert counted.value.limit == "max_import_entities"
