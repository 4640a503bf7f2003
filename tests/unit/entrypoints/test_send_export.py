"""How the HTTP layer sends an export answer it is given whole (from the export port's
memory): as it is, without reading its blocks, and closed before it is sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio

from application.ports.export_answers import AnsweredBlocks
from entrypoints.http.export_responses import send

KEPT = b'[{"id":"123"}]'


class NeverRead(AsyncIterator[bytes]):
    async def __anext__(self) -> bytes:
        raise AssertionError("a whole answer's blocks were read")


def test_a_whole_answer_goes_out_as_it_is_and_is_closed_first() -> None:
    events: list[str] = []

    @asynccontextmanager
    async def answer() -> AsyncIterator[AnsweredBlocks]:
        events.append("opened")
        yield AnsweredBlocks(NeverRead(), whole=KEPT)
        events.append("closed")

    response = anyio.run(send, answer())
    assert response.content == KEPT
    assert response.status_code == 200
    assert events == ["opened", "closed"]
