from __future__ import annotations

import tempfile
from collections.abc import Iterator

from application.ports.spool import Spool

CHUNK_BYTES = 1024 * 1024
IN_MEMORY_BYTES = 1024 * 1024
"""Small: moving to the file copies what is in memory once more (SpooledTemporaryFile's
rollover), and a plan's peak memory is measured against its file's size (scenario 12)."""


class TemporarySpool(Spool):
    """In memory up to IN_MEMORY_BYTES, then an anonymous temporary file, gone when closed."""

    def __init__(self) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115

    def write(self, data: bytes | memoryview) -> None:
        self._file.seek(0, 2)
        self._file.write(data)

    def chunks(self) -> Iterator[bytes]:
        self._file.seek(0)
        while chunk := self._file.read(CHUNK_BYTES):
            yield chunk

    def close(self) -> None:
        self._file.close()
