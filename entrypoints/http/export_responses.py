"""Answers the export endpoints: from the cache when nothing changed, else from the use case,
streamed from storage when large."""

from __future__ import annotations

import json
import logging
import tempfile
import weakref
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, Protocol

from anyio import CancelScope, to_thread
from litestar import MediaType, Response
from litestar.response import Stream

from application.ports.change_counter import ChangeCounter
from application.use_cases.open_export import OpenExport
from domain.export import unique_in_order
from domain.export_format.releases import Release, is_current, release_named
from domain.export_format.writer import EntityLosses, LossesRefused, in_release
from entrypoints.http.responses import json_bytes
from entrypoints.wire.export_cache import ExportCache
from entrypoints.wire.export_json import decode, encode, export_blocks

log = logging.getLogger(__name__)

STREAM_ABOVE_BYTES = 2 * 1024 * 1024
LOSSES_HEADER = "X-Boardport-Losses"
LOSSES_HEADER_MAX_BYTES = 8 * 1024


@dataclass(frozen=True, slots=True)
class ExportTarget:
    """The release whose format an export is written in, and whether losses are allowed."""

    release: Release
    allow_loss: bool = False

    @classmethod
    def named(cls, release: str | None, *, allow_loss: bool = False) -> ExportTarget:
        """Raises UnknownRelease (400) naming the known releases."""
        return cls(release_named(release), allow_loss)


CURRENT_FORMAT = ExportTarget(release_named(None))


class Exporter(Protocol):
    def open(self, ids: Sequence[str]) -> OpenExport: ...


class ExportResponses:
    """Serves repeated exports from memory while storage is unchanged, and large ones as a
    stream read from storage as it is sent. The change counter is read before the export's
    snapshot, so a cached answer is as fresh as a computed one: any write committed before the
    request invalidates it."""

    def __init__(
        self,
        counter: ChangeCounter,
        cache: ExportCache,
        export_dashboards: Callable[[], Exporter],
        export_reports: Callable[[], Exporter],
    ) -> None:
        self._counter = counter
        self._cache = cache
        self._export_dashboards = export_dashboards
        self._export_reports = export_reports

    async def dashboards(
        self, ids: Sequence[str], target: ExportTarget = CURRENT_FORMAT
    ) -> Response[Any]:
        return await self._answer("dashboards", ids, self._export_dashboards, target)

    async def reports(
        self, ids: Sequence[str], target: ExportTarget = CURRENT_FORMAT
    ) -> Response[Any]:
        return await self._answer("reports", ids, self._export_reports, target)

    async def _answer(
        self,
        kind: str,
        ids: Sequence[str],
        exporter: Callable[[], Exporter],
        target: ExportTarget,
    ) -> Response[Any]:
        requested = unique_in_order(ids)
        # Every release of today's format writes the same bytes: they share an entry.
        key = (kind, requested, target.release.numbers, target.allow_loss)
        generation = await self._generation()
        if generation is not None:
            cached = self._cache.get(key, generation)
            if cached is not None:
                return json_bytes(cached)
        losses: list[EntityLosses] = []
        rest: ExportRest | SpooledExport | None
        if is_current(target.release):
            payload, rest = await to_thread.run_sync(lambda: read_export(exporter(), requested))
        else:
            payload, rest, losses = await to_thread.run_sync(
                lambda: read_release_export(exporter(), requested, target)
            )
        headers = {LOSSES_HEADER: losses_header(losses)} if losses else None
        if isinstance(rest, SpooledExport):
            return Stream(rest.blocks(), media_type=MediaType.JSON, headers=headers)
        if rest is not None:
            return Stream(stream_rest(rest), media_type=MediaType.JSON)
        assert payload is not None  # noqa: S101 - _read gives one or the other
        if generation is not None and not losses:
            self._cache.put(key, generation, payload)
        response = json_bytes(payload)
        if headers:
            response.headers.update(headers)
        return response

    async def _generation(self) -> int | None:
        try:
            return await self._counter.current()
        except Exception:  # noqa: BLE001 - without the counter, answer uncached; the export says why
            log.warning("the change counter could not be read; answering without the cache")
            return None


def read_export(exporter: Exporter, ids: Sequence[str]) -> tuple[bytes | None, ExportRest | None]:
    """Reads blocks of the export until it ends or passes STREAM_ABOVE_BYTES: a small export
    comes back whole, its snapshot closed; a large one comes back as the blocks read so far and
    the open export to go on with."""
    export = exporter.open(ids)
    try:
        blocks = export_blocks(export.entities())
        read: list[bytes] = []
        size = 0
        for block in blocks:
            read.append(block)
            size += len(block)
            if size > STREAM_ABOVE_BYTES:
                return None, ExportRest(export, read, blocks)
    except BaseException:
        export.close()
        raise
    export.close()
    return b"".join(read), None


def read_release_export(
    exporter: Exporter, ids: Sequence[str], target: ExportTarget
) -> tuple[bytes | None, SpooledExport | None, list[EntityLosses]]:
    """As `read_export`, in an older release's format. Every loss must be known before the
    first byte goes out (a refusal is a 400, and the header lists them), so the whole export is
    converted first: a small one into memory, a large one past STREAM_ABOVE_BYTES into a
    temporary file, streamed from there. Each entity is parsed and converted once, memory stays
    bounded, and the snapshot is closed before the answer starts."""
    losses: list[EntityLosses] = []
    pieces: list[bytes] = []
    size = 0
    spool: IO[bytes] | None = None
    try:
        with exporter.open(ids) as export:
            for entity in export.entities():
                converted, lost = in_release(entity, target.release, decode)
                if lost is not None:
                    losses.append(lost)
                piece = encode(converted)
                if spool is not None:
                    spool.write(b"," + piece)
                    continue
                pieces.append(piece)
                size += len(piece)
                if size > STREAM_ABOVE_BYTES:
                    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by SpooledExport
                    spool.write(b"[" + b",".join(pieces))
                    pieces = []
        if losses and not target.allow_loss:
            raise LossesRefused(target.release, losses)
    except BaseException:
        if spool is not None:
            spool.close()
        raise
    if spool is None:
        return b"[" + b",".join(pieces) + b"]", None, losses
    spool.write(b"]")
    spool.seek(0)
    return None, SpooledExport(spool), losses


class SpooledExport:
    """An export written to a temporary file, sent in blocks; the file is closed when the
    stream ends, fails or the client goes away, or when this object is dropped."""

    def __init__(self, spool: IO[bytes]) -> None:
        self.spool = spool
        weakref.finalize(self, spool.close)

    async def blocks(self, block_size: int = 1024 * 1024) -> AsyncIterator[bytes]:
        try:
            while block := await to_thread.run_sync(self.spool.read, block_size):
                yield block
        finally:
            with CancelScope(shield=True):
                await to_thread.run_sync(self.spool.close)


def losses_header(losses: Sequence[EntityLosses]) -> str:
    """The X-Boardport-Losses value: JSON (ASCII) listing each loss, as many as fit in 8 KB,
    and the count of all of them."""
    items = [
        {
            "entityType": e.entity_type.value,
            "id": e.entity_id,
            "field": loss.field,
            "loss": loss.text,
        }
        for e in losses
        for loss in e.losses
    ]
    listed: list[dict[str, str]] = []
    text = json.dumps({"count": len(items), "losses": listed})
    for item in items:
        candidate = json.dumps({"count": len(items), "losses": [*listed, item]})
        if len(candidate) > LOSSES_HEADER_MAX_BYTES:
            break
        listed.append(item)
        text = candidate
    return text


@dataclass
class ExportRest:
    """A large export part-read. Its snapshot is closed when the stream ends, fails or the
    client goes away, and, should the stream never start (a client gone before the first
    block), when this object is dropped."""

    export: OpenExport
    read: list[bytes]
    blocks: Iterator[bytes]

    def __post_init__(self) -> None:
        weakref.finalize(self, self.export.close)


async def stream_rest(rest: ExportRest) -> AsyncIterator[bytes]:
    """The blocks read so far, then the rest, each read from storage in a worker thread; the
    snapshot is closed when the stream ends, fails or the client goes away."""
    try:
        while rest.read:
            yield rest.read.pop(0)
        while (block := await to_thread.run_sync(next, rest.blocks, None)) is not None:
            yield block
    finally:
        # A client gone away cancels this task; the close must still run, to its end.
        with CancelScope(shield=True):
            await to_thread.run_sync(rest.export.close)
