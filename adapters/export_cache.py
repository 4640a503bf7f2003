"""The export port's adapter for servers: the use case's reading, run in worker threads, and
answers kept in memory, each served only while storage is exactly as it was when it was read."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Hashable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

from anyio import CancelScope, to_thread

from application.ports.export_answers import (
    AnsweredBlocks,
    ExportAnswers,
    ExportRequest,
    ReadExport,
)

log = logging.getLogger(__name__)


class ChangeCounter(Protocol):
    async def current(self) -> int:
        """A number that changes whenever a write to stored entities commits, wherever it was
        made, read after this call began. Read it before reading entities: what is read then
        is at least that fresh."""
        ...


class CachedExportAnswers(ExportAnswers):
    """Repeated exports from memory while storage is unchanged, exactly as fresh as a database
    read: the change counter is read before the export's snapshot begins, and an answer kept
    under one reading of it is served only while it reads the same. A write committed before
    the request, by any worker or machine, therefore invalidates at once. Only answers read
    whole, without losses, are kept; least recently used ones go first past `max_bytes`."""

    def __init__(self, counter: ChangeCounter, max_bytes: int) -> None:
        self._counter = counter
        self._kept = KeptAnswers(max_bytes)

    def answer(
        self, request: ExportRequest, read: ReadExport
    ) -> AbstractAsyncContextManager[AnsweredBlocks]:
        return _Answer(self, request, read)

    async def _generation(self) -> int | None:
        try:
            return await self._counter.current()
        except Exception:  # noqa: BLE001 - without the counter, answer uncached; the export says why
            log.warning("the change counter could not be read; answering without the cache")
            return None

    async def _keeping(
        self, key: Hashable, generation: int, blocks: AsyncIterator[bytes]
    ) -> AsyncIterator[bytes]:
        """The blocks as they pass; once all have passed, kept if they fit."""
        passed: list[bytes] = []
        size = 0
        async for block in blocks:
            size += len(block)
            if size <= self._kept.max_entry_bytes:
                passed.append(block)
            else:
                passed.clear()  # too large to keep: hold none of it
            yield block
        if size <= self._kept.max_entry_bytes:
            self._kept.put(key, generation, b"".join(passed))


class _Answer(AbstractAsyncContextManager[AnsweredBlocks]):
    """One answer: kept bytes when storage is unchanged, else the reading in worker threads.
    A class, not a generator, because every export request passes through it."""

    __slots__ = ("_answers", "_read", "_reading", "_request")

    def __init__(self, answers: CachedExportAnswers, request: ExportRequest, read: ReadExport):
        self._answers = answers
        self._request = request
        self._read = read
        self._reading: AbstractAsyncContextManager[AnsweredBlocks] | None = None

    async def __aenter__(self) -> AnsweredBlocks:
        answers = self._answers
        generation = await answers._generation()
        key = self._request.key
        if generation is not None:
            kept = answers._kept.get(key, generation)
            if kept is not None:
                return AnsweredBlocks(_Once(kept), whole=kept)
        self._reading = in_worker_threads(self._read)
        answered = await self._reading.__aenter__()
        if generation is not None and not answered.losses:
            answered.blocks = answers._keeping(key, generation, answered.blocks)
        return answered

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        if self._reading is None:
            return None
        return await self._reading.__aexit__(exc_type, exc, traceback)


class _Once(AsyncIterator[bytes]):
    """One block, already in memory. A class, not an async generator: it is cheaper to make."""

    __slots__ = ("_payload",)

    def __init__(self, payload: bytes) -> None:
        self._payload: bytes | None = payload

    async def __anext__(self) -> bytes:
        payload, self._payload = self._payload, None
        if payload is None:
            raise StopAsyncIteration
        return payload


@asynccontextmanager
async def in_worker_threads(read: ReadExport) -> AsyncIterator[AnsweredBlocks]:
    """The use case's reading entered, iterated and left in worker threads, so the event loop
    keeps serving while storage is read. It is left however the answer ends: sent, failed, or
    the client gone (a cancellation waits for the leaving to finish)."""
    reading = read()
    export = await to_thread.run_sync(reading.__enter__)
    try:
        yield AnsweredBlocks(_each_in_a_thread(export.blocks), export.losses)
    except BaseException as error:
        with CancelScope(shield=True):
            ended = await to_thread.run_sync(
                reading.__exit__, type(error), error, error.__traceback__
            )
        if not ended:
            raise
    else:
        with CancelScope(shield=True):
            await to_thread.run_sync(reading.__exit__, None, None, None)


async def _each_in_a_thread(blocks: Iterator[bytes]) -> AsyncIterator[bytes]:
    while (block := await to_thread.run_sync(next, blocks, None)) is not None:
        yield block


@dataclass(frozen=True, slots=True)
class _Entry:
    generation: int
    payload: bytes


class KeptAnswers:
    """Finished export bytes by request, each labelled with the change counter read before the
    export's snapshot. An entry answers only while the counter still reads the same, so a kept
    answer is never older than the last write that committed before the request."""

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._size = 0

    @property
    def max_entry_bytes(self) -> int:
        return self._max_bytes // 8

    def get(self, key: Hashable, generation: int) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.generation != generation:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry.payload

    def put(self, key: Hashable, generation: int, payload: bytes) -> None:
        if len(payload) > self.max_entry_bytes:
            return
        self._drop(key)
        self._entries[key] = _Entry(generation, payload)
        self._size += len(payload)
        while self._size > self._max_bytes:
            oldest = next(iter(self._entries))
            self._drop(oldest)

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, key: Hashable) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._size -= len(entry.payload)
