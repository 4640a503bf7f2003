from __future__ import annotations

from typing import IO

from domain.errors import ImportFileInvalid
from domain.export_format.reader import EntityStream
from domain.json_document import JsonValue
from entrypoints.wire.json_input import JsonRejected, decode_strict
from entrypoints.wire.spooled_import import SpooledImportFile

DEFAULT_MAX_DEPTH = 64
_SPACE = b" \t\n\r"  # JSON's whitespace


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

    def from_file(self, file: IO[bytes]) -> JsonValue | EntityStream:
        """The file (read from its start) as an import reads it: an array entity by entity,
        each parsed when it is reached, never held whole; anything else parsed whole, as
        `__call__` parses it. Either way the same files are refused, with the same words."""
        file.seek(0)
        head = file.read(4096).lstrip(_SPACE)
        while not head and (more := file.read(4096)):
            head = more.lstrip(_SPACE)
        if head.startswith(b"[") and self._max_depth >= 1:
            return SpooledImportFile(file, self._max_depth, self)
        file.seek(0)
        return self(file.read())
