from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol


class Spool(Protocol):
    """Bytes written once, front to back, then read as often as needed: where an export file
    is assembled batch by batch without holding it in memory."""

    def write(self, data: bytes | memoryview) -> None: ...

    def chunks(self) -> Iterator[bytes]:
        """Everything written so far, from the start, in pieces of bounded size."""
        ...

    def close(self) -> None: ...
