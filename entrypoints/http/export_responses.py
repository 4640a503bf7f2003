"""Sends export answers: a small one whole, with its length; a large one as a stream, block by
block as the use case reads it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from litestar import MediaType, Response
from litestar.response import Stream

from application.ports.export_answers import CURRENT_FORMAT, AnsweredBlocks, ExportTarget
from domain.export_format.writer import EntityLosses
from entrypoints.http.responses import json_bytes

__all__ = ["CURRENT_FORMAT", "ExportResponses", "ExportTarget", "losses_header", "send"]

STREAM_ABOVE_BYTES = 2 * 1024 * 1024
LOSSES_HEADER = "X-Boardport-Losses"
LOSSES_HEADER_MAX_BYTES = 8 * 1024


class Export(Protocol):
    def answer(
        self, ids: Sequence[str], target: ExportTarget
    ) -> AbstractAsyncContextManager[AnsweredBlocks]: ...


class ExportResponses:
    """The export endpoints' answers, from the export use cases."""

    def __init__(self, export_dashboards: Export, export_reports: Export) -> None:
        self._export_dashboards = export_dashboards
        self._export_reports = export_reports

    async def dashboards(
        self, ids: Sequence[str], target: ExportTarget = CURRENT_FORMAT
    ) -> Response[Any]:
        return await send(self._export_dashboards.answer(ids, target))

    async def reports(
        self, ids: Sequence[str], target: ExportTarget = CURRENT_FORMAT
    ) -> Response[Any]:
        return await send(self._export_reports.answer(ids, target))


async def send(answer: AbstractAsyncContextManager[AnsweredBlocks]) -> Response[Any]:
    """An answer already whole in memory goes out as it is. Otherwise blocks are read until the
    answer ends or passes STREAM_ABOVE_BYTES: a small answer goes out whole, closed before it
    is sent; a large one goes out as the blocks read so far and then the rest, closed when the
    stream ends, fails or the client goes away. A refusal comes from opening the answer, before
    anything is sent."""
    answered = await answer.__aenter__()
    if answered.whole is not None and not answered.losses:
        await answer.__aexit__(None, None, None)
        return json_bytes(answered.whole)
    headers = {LOSSES_HEADER: losses_header(answered.losses)} if answered.losses else None
    read: list[bytes] = []
    try:
        if await _read_up_to(STREAM_ABOVE_BYTES, answered.blocks, read):
            rest = _rest(answer, read, answered.blocks)
            return Stream(rest, media_type=MediaType.JSON, headers=headers)
    except BaseException as error:
        await answer.__aexit__(type(error), error, error.__traceback__)
        raise
    await answer.__aexit__(None, None, None)
    response = json_bytes(b"".join(read))
    if headers:
        response.headers.update(headers)
    return response


async def _read_up_to(limit: int, blocks: AsyncIterator[bytes], read: list[bytes]) -> bool:
    """Appends blocks to `read` until they end (False) or pass `limit` bytes (True)."""
    size = 0
    async for block in blocks:
        read.append(block)
        size += len(block)
        if size > limit:
            return True
    return False


async def _rest(
    answer: AbstractAsyncContextManager[AnsweredBlocks],
    read: list[bytes],
    blocks: AsyncIterator[bytes],
) -> AsyncIterator[bytes]:
    try:
        while read:
            yield read.pop(0)
        async for block in blocks:
            yield block
    finally:
        # Also when a client gone away cancels this task: the answer finishes closing itself.
        await answer.__aexit__(None, None, None)


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
