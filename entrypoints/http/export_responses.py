"""Answers the export endpoints: from the cache when nothing changed, else from the use case,
streamed when large."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from anyio import to_thread
from litestar import MediaType, Response
from litestar.response import Stream

from application.ports.change_counter import ChangeCounter
from domain.export import EntityExport, unique_in_order
from entrypoints.http.responses import json_bytes
from entrypoints.wire.export_cache import ExportCache
from entrypoints.wire.export_json import estimated_size, export_blocks, export_json

log = logging.getLogger(__name__)

Exporter = Callable[[Sequence[str]], EntityExport]
STREAM_ABOVE_BYTES = 1024 * 1024


class ExportResponses:
    """Serves repeated exports from memory while storage is unchanged, and large ones as a
    stream. The change counter is read before the export's snapshot, so a cached answer is as
    fresh as a computed one: any write committed before the request invalidates it."""

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
        export = await to_thread.run_sync(lambda: exporter()(requested))
        if estimated_size(export) > STREAM_ABOVE_BYTES:
            return Stream(_stream(export), media_type=MediaType.JSON)
        payload = export_json(export)
        if generation is not None:
            self._cache.put(key, generation, payload)
        return json_bytes(payload)

    async def _generation(self) -> int | None:
        try:
            return await self._counter.current()
        except Exception:  # noqa: BLE001 - without the counter, answer uncached; the export says why
            log.warning("the change counter could not be read; answering without the cache")
            return None


async def _stream(export: EntityExport) -> AsyncIterator[bytes]:
    for block in export_blocks(export):
        yield block
