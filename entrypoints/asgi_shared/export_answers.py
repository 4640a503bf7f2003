"""Sends an export answer: a small one whole, with its length; a large one as a stream, block by
block as the use case reads it. The answer closes itself after its last block; the sender ends
it early only when the sending fails or the client goes away."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from litestar import MediaType, Response
from litestar.response import Stream

from application.ports.export import ExportAnswer
from domain.export_format.losses import EntityLosses

STREAM_ABOVE_BYTES = 2 * 1024 * 1024
LOSSES_HEADER = "X-Boardport-Losses"
LOSSES_HEADER_MAX_BYTES = 8 * 1024


async def send(answer: ExportAnswer) -> Response[Any]:
    """Blocks are read until the answer ends or passes STREAM_ABOVE_BYTES: a small answer goes
    out whole, a large one as the blocks read so far and then the rest."""
    headers = {LOSSES_HEADER: losses_header(answer.losses)} if answer.losses else {}
    whole = answer.whole
    if whole is not None:
        await answer.aclose()
        return _json_bytes(whole, headers=headers)
    read: list[bytes] = []
    try:
        if await _read_up_to(STREAM_ABOVE_BYTES, answer, read):
            return Stream(_rest(answer, read), media_type=MediaType.JSON, headers=headers)
    except BaseException:
        await answer.aclose()
        raise
    return _json_bytes(b"".join(read), headers=headers)


async def _read_up_to(limit: int, blocks: AsyncIterator[bytes], read: list[bytes]) -> bool:
    """Appends blocks to `read` until they end (False) or pass `limit` bytes (True)."""
    size = 0
    async for block in blocks:
        read.append(block)
        size += len(block)
        if size > limit:
            return True
    return False


async def _rest(answer: ExportAnswer, read: list[bytes]) -> AsyncIterator[bytes]:
    try:
        while read:
            yield read.pop(0)
        async for block in answer:
            yield block
    finally:
        # Also when a client gone away cancels this task: the answer finishes closing itself.
        await answer.aclose()


def _json_bytes(content: bytes, headers: Mapping[str, str]) -> Response[bytes]:
    """A response whose JSON was written already; Litestar sends the bytes as they are."""
    return Response(content=content, media_type=MediaType.JSON, status_code=200, headers=headers)


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
