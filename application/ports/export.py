"""The export port: what a server, the CLI and the web pages ask an export of, and the answer
they send. The export use cases implement it; the export cache is a decorator with the same
face, put around them in the composition root."""

from __future__ import annotations

from collections.abc import AsyncIterator, Hashable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from domain.export import unique_in_order
from domain.export_format.losses import EntityLosses
from domain.export_format.releases import Release, release_named

ExportKind = Literal["dashboards", "reports"]


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
    """What was asked: dashboards or reports, their IDs once each in request order (IDs are a
    set: `of` drops repeats), and the target format."""

    kind: ExportKind
    ids: tuple[str, ...]
    target: ExportTarget = CURRENT_FORMAT

    @classmethod
    def of(
        cls, kind: ExportKind, ids: Sequence[str], target: ExportTarget = CURRENT_FORMAT
    ) -> ExportRequest:
        return cls(kind, unique_in_order(ids), target)

    @property
    def key(self) -> Hashable:
        """Equal for requests whose answers are equal byte for byte: every release of today's
        format writes the same bytes, so they share one key."""
        return (self.kind, self.ids, self.target.release.numbers, self.target.allow_loss)


class ExportAnswer(Protocol):
    """An export's bytes, sent block by block without blocking the event loop. It closes itself
    (its snapshot of storage ends) when its last block has been taken; `aclose` ends it early,
    and does nothing when it has ended already."""

    @property
    def losses(self) -> tuple[EntityLosses, ...]:
        """What an older release's format lost (allowed, or it would have been refused)."""
        ...

    @property
    def entities(self) -> int:
        """How many entities the answer holds."""
        ...

    @property
    def whole(self) -> bytes | None:
        """The whole answer, when it is in memory at once, to be sent at once."""
        ...

    def __aiter__(self) -> AsyncIterator[bytes]: ...

    async def __anext__(self) -> bytes: ...

    async def aclose(self) -> None: ...


class Export(Protocol):
    async def answer(self, request: ExportRequest) -> ExportAnswer:
        """The answer to `request`: every refusal (not found, a limit passed, losses not
        allowed) is raised here, before the first block. A write committed anywhere before
        this call began is always seen."""
        ...
