"""Answers the export endpoints: from the cache when nothing changed, else from the use case,
streamed from storage when large."""

from __future__ import annotations

import logging
import weakref
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from anyio import CancelScope, to_thread
from litestar import MediaType, Response
from litestar.response import Stream

from application.ports.change_counter import ChangeCounter
from application.use_cases.open_export import OpenExport
from domain.export import unique_in_order
from entrypoints.http.responses import json_bytes
from entrypoints.wire.export_cache import ExportCache
from entrypoints.wire.export_json import export_blocks

log = logging.getLogger(__name__)

STREAM_ABOVE_BYTES = 2 * 1024 * 1024


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

    async def dashboards(self, ids: Sequence[str]) -> Response[Any]:
        return await self._answer("dashboards", ids, self._export_dashboards)

    async def reports(self, ids: Sequence[str]) -> Response[Any]:
        return await self._answer("reports", ids, self._export_reports)

    async def _answer(
        self, kind: str, ids: Sequence[str], exporter: Callable[[], Exporter]
    ) -> Response[Any]:
        requested = unique_in_order(ids)
        key = (kind, requested)
        generation = await self._generation()
        if generation is not None:
            cached = self._cache.get(key, generation)
            if cached is not None:
                return json_bytes(cached)
        payload, rest = await to_thread.run_sync(lambda: read_export(exporter(), requested))
        if rest is not None:
            return Stream(stream_rest(rest), media_type=MediaType.JSON)
        assert payload is not None  # noqa: S101 - _read gives one or the other
        if generation is not None:
            self._cache.put(key, generation, payload)
        return json_bytes(payload)

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
