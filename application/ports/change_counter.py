from __future__ import annotations

from typing import Protocol


class ChangeCounter(Protocol):
    async def current(self) -> int:
        """A number that changes whenever a write to stored entities commits, wherever it was
        made, read after this call began. Read it before reading entities: what is read then
        is at least that fresh."""
        ...

    async def close(self) -> None: ...
