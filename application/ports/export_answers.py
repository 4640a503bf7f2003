"""The export port: where a use case's export answer comes from, as blocks of bytes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Hashable, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from domain.export_format.releases import Release, release_named
from domain.export_format.writer import EntityLosses


@dataclass(frozen=True, slots=True)
class ExportTarget:
    """The release whose format an export is written in, and whether losses are allowed."""

    release: Release
    allow_loss: bool = False

    @classmethod
    def named(cls, release: str | None, *, allow_loss: bool = False) -> ExportTarget:
        """Raises UnknownRelease (400) naming the known releases."""
        if release is None and not allow_loss:
            return CURRENT_FORMAT  # what nearly every request asks for, made once
        return cls(release_named(release), allow_loss)


CURRENT_FORMAT = ExportTarget(release_named(None))


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What was asked: dashboards or reports, their IDs once each in request order, the target."""

    kind: str
    ids: tuple[str, ...]
    target: ExportTarget = CURRENT_FORMAT

    @property
    def key(self) -> Hashable:
        """Equal for requests whose answers are equal byte for byte: every release of today's
        format writes the same bytes, so they share one key."""
        return (self.kind, self.ids, self.target.release.numbers, self.target.allow_loss)


@dataclass(slots=True)
class ExportBlocks:
    """An export as it is read: its bytes in blocks, and what it lost in an older release's
    format (empty for today's), known before the first block."""

    blocks: Iterator[bytes]
    losses: tuple[EntityLosses, ...] = ()


@dataclass(slots=True)
class AnsweredBlocks:
    """An export's answer, sent block by block without blocking the event loop. An answer
    already in memory in one piece is `whole` too, for a sender to send at once."""

    blocks: AsyncIterator[bytes]
    losses: tuple[EntityLosses, ...] = ()
    whole: bytes | None = None


ReadExport = Callable[[], AbstractContextManager[ExportBlocks]]
"""The use case's own reading of one export: entering it plans the export in one snapshot of
storage (raising not-found and every other refusal), leaving it ends the snapshot."""


class ExportAnswers(Protocol):
    """Answers export requests with the use case's reading, or with an earlier answer that is
    exactly as fresh."""

    def answer(
        self, request: ExportRequest, read: ReadExport
    ) -> AbstractAsyncContextManager[AnsweredBlocks]:
        """The answer to `request`, open until the `async with` block ends. Either `read` is
        entered, iterated and left in worker threads (storage is slow and blocking), or, when
        storage has not changed since an identical request was read whole, the same bytes come
        from memory: a write committed anywhere before this call began is always seen. Leaving
        the answer ends the reading, to its end, even in a task that is being cancelled."""
        ...
