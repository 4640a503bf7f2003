"""The coalescing of counter reads: never an answer from before the call, few reads for many."""

from __future__ import annotations

import asyncio

import pytest

from adapters.fresh_reads import FreshReads


class SlowCounter:
    """A value that changes over time; each read takes a while and records when it began."""

    def __init__(self) -> None:
        self.value = 0
        self.reads_started_at: list[int] = []

    async def read(self) -> int:
        self.reads_started_at.append(self.value)
        seen = self.value
        await asyncio.sleep(0.01)
        return seen


def test_every_caller_gets_a_read_that_began_after_it_asked() -> None:
    async def scenario() -> None:
        counter = SlowCounter()
        reads = FreshReads(counter.read)
        first = asyncio.ensure_future(reads.get())
        while not counter.reads_started_at:  # until the first read is out, having seen 0
            await asyncio.sleep(0)
        counter.value = 1  # a write commits while that read is out
        second = asyncio.ensure_future(reads.get())
        third = asyncio.ensure_future(reads.get())
        assert await first == 0
        assert await second == 1
        assert await third == 1

    asyncio.run(scenario())


def test_many_concurrent_callers_share_two_reads() -> None:
    async def scenario() -> None:
        counter = SlowCounter()
        reads = FreshReads(counter.read)
        results = await asyncio.gather(*(reads.get() for _ in range(50)))
        assert results == [0] * 50
        assert len(counter.reads_started_at) == 2

    asyncio.run(scenario())


def test_a_failed_read_fails_its_waiters_and_the_next_call_reads_again() -> None:
    async def scenario() -> None:
        attempts = 0

        async def flaky() -> int:
            nonlocal attempts
            attempts += 1
            await asyncio.sleep(0.001)
            if attempts == 1:
                raise ConnectionError("the database went away")
            return 7

        reads = FreshReads(flaky)
        with pytest.raises(ConnectionError):
            await reads.get()
        assert await reads.get() == 7

    asyncio.run(scenario())


def test_a_new_event_loop_starts_afresh() -> None:
    counter = SlowCounter()
    reads = FreshReads(counter.read)
    assert asyncio.run(reads.get()) == 0
    counter.value = 3
    assert asyncio.run(reads.get()) == 3
