from __future__ import annotations

from domain.errors import ImportFileInvalid
from domain.json_document import JsonValue
from entrypoints.wire.json_input import JsonRejected, decode_strict

DEFAULT_MAX_DEPTH = 64


class ImportFileReader:
    """Reads an import file's bytes. An empty body, or one that is not strict JSON (see
    `decode_strict`), is the contract's `importFileInvalid`."""

    def __init__(self, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
        self._max_depth = max_depth

    def __call__(self, body: bytes) -> JsonValue:
        if not body.strip():
            raise ImportFileInvalid("The import file is empty.")
        try:
            return decode_strict(body, max_depth=self._max_depth)
        except JsonRejected as rejected:
            raise ImportFileInvalid(f"The import file {rejected}.") from None
