from __future__ import annotations

from collections.abc import Iterator

import msgspec

from domain.errors import ImportFileInvalid
from domain.export_format.reader import EntityStream, FileItem
from domain.json_document import JsonValue
from entrypoints.wire.json_input import JsonRejected, decode_strict

DEFAULT_MAX_DEPTH = 64
Body = bytes | bytearray
_RAW_FIELDS = dict[str, msgspec.Raw]


class ImportFileReader:
    """Reads an import file's bytes. An empty body, or one that is not strict JSON (see
    `decode_strict`), is the contract's `importFileInvalid`."""

    def __init__(self, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
        self._max_depth = max_depth

    def __call__(self, body: Body) -> JsonValue:
        _refuse_empty(body)
        try:
            return decode_strict(bytes(body), max_depth=self._max_depth)
        except JsonRejected as rejected:
            raise ImportFileInvalid(f"The import file {rejected}.") from None

    def entities(self, body: Body) -> JsonValue | EntityStream:
        """The file as the import reads it: a top-level array entity by entity, each parsed
        when it is reached, holding each report's data as its bytes in `body` (which must not
        change while the import runs); anything else parsed whole, as `__call__` parses it.
        Either way the same files are refused, with the same words."""
        _refuse_empty(body)
        if self._max_depth >= 1:
            try:
                entities = msgspec.json.decode(body, type=list[msgspec.Raw])
            except msgspec.DecodeError:
                pass  # not an array, or not JSON: the whole-file parse says which, as always
            else:
                return _SplitFile(body, entities, self._max_depth)
        return self(body)


def _refuse_empty(body: Body) -> None:
    if not body or body.isspace():  # what bytes.strip() strips, without copying the body
        raise ImportFileInvalid("The import file is empty.")


class _SplitFile(EntityStream):
    """A top-level array whose entities msgspec has found, without parsing them (each is a view
    into the body). Each entity is parsed by the strict reader when it is reached, one level
    less deep than the file may nest; the first it refuses makes the whole file be parsed, so
    the refusal is worded (line and column included) as the whole file's."""

    def __init__(self, body: Body, entities: list[msgspec.Raw], max_depth: int) -> None:
        self._body = body
        self._entities = entities
        self._max_depth = max_depth

    def __len__(self) -> int:
        return len(self._entities)

    def __iter__(self) -> Iterator[FileItem]:
        for raw in self._entities:
            try:
                value = decode_strict(bytes(raw), max_depth=self._max_depth - 1, each_float=True)
            except JsonRejected as rejected:
                raise self._refusal(rejected) from None
            yield value, _data_text(raw, value)

    def _refusal(self, rejected: JsonRejected) -> ImportFileInvalid:
        try:
            decode_strict(bytes(self._body), max_depth=self._max_depth)
        except JsonRejected as whole:
            rejected = whole
        return ImportFileInvalid(f"The import file {rejected}.")


def _data_text(raw: msgspec.Raw, value: JsonValue) -> memoryview | None:
    """The entity's `data` as its bytes in the body, when they are exactly what storing the
    parsed data writes (compact, escapes as msgspec writes them); None otherwise."""
    data = value.get("data") if isinstance(value, dict) else None
    if not isinstance(data, dict):
        return None
    try:
        encoded = msgspec.json.encode(data)
        text = memoryview(msgspec.json.decode(raw, type=_RAW_FIELDS)["data"])
    except (msgspec.MsgspecError, OverflowError, KeyError):
        return None
    return text if text == encoded else None
