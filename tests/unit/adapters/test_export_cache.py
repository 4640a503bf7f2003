"""The export cache, a decorator around the export use case: a kept answer is handed over whole,
so that it is sent at once, and only while the change counter reads as it did."""

from __future__ import annotations

import anyio

from adapters.export_cache import CachedExport, ChangeCounter
from application.ports.export import ExportRequest
from tests.builders.domain import dashboard_of, process_report
from tests.exporting import export_over, read_whole
from tests.fakes import FakeUnitOfWork

REQUEST = ExportRequest.of("dashboards", ["123"])


class Counter(ChangeCounter):
    def __init__(self) -> None:
        self.value = 7

    async def current(self) -> int:
        return self.value


def test_the_second_answer_is_the_first_ones_bytes_whole_until_storage_changes() -> None:
    uow = FakeUnitOfWork(reports=[process_report("r1")], dashboards=[dashboard_of("123", "r1")])
    counter = Counter()
    cached = CachedExport(export_over(uow), counter, max_bytes=1024 * 1024)

    async def ask() -> tuple[bytes | None, bytes, int]:
        answer = await cached.answer(REQUEST)
        return answer.whole, await read_whole(answer), uow.reports.lookups

    first_whole, first, lookups = anyio.run(ask)
    second_whole, second, lookups_after = anyio.run(ask)
    assert first_whole is None  # read from storage
    assert second_whole == second == first  # from memory, whole
    assert lookups_after == lookups
    counter.value += 1
    third_whole, third, lookups_later = anyio.run(ask)
    assert third_whole is None
    assert third == first
    assert lookups_later > lookups


def test_an_answer_larger_than_an_eighth_of_the_cache_is_not_kept() -> None:
    uow = FakeUnitOfWork(reports=[process_report("r1")], dashboards=[dashboard_of("123", "r1")])
    cached = CachedExport(export_over(uow), Counter(), max_bytes=64)

    async def ask() -> bytes | None:
        answer = await cached.answer(REQUEST)
        await read_whole(answer)
        return answer.whole

    assert anyio.run(ask) is None
    assert anyio.run(ask) is None
