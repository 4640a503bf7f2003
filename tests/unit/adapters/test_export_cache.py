"""The export port's cache hands a kept answer over whole, so that it is sent at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import anyio

from adapters.export_cache import CachedExportAnswers, ChangeCounter
from application.ports.export_answers import CURRENT_FORMAT, ExportBlocks, ExportRequest

REQUEST = ExportRequest("dashboards", ("123",), CURRENT_FORMAT)


class StillCounter(ChangeCounter):
    async def current(self) -> int:
        return 7


def test_the_second_answer_is_the_first_ones_bytes_whole() -> None:
    reads: list[str] = []

    @contextmanager
    def read() -> Iterator[ExportBlocks]:
        reads.append("read")
        yield ExportBlocks(iter([b'[{"id":', b'"123"}]']))

    answers = CachedExportAnswers(StillCounter(), max_bytes=1024 * 1024)

    async def twice() -> list[bytes | None]:
        wholes: list[bytes | None] = []
        for _ in range(2):
            async with answers.answer(REQUEST, read) as answered:
                wholes.append(answered.whole)
                assert b"".join([block async for block in answered.blocks]) == b'[{"id":"123"}]'
        return wholes

    assert anyio.run(twice) == [None, b'[{"id":"123"}]']
    assert reads == ["read"]
