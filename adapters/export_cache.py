"""The export cache: a decorator around the export use case, with the same face, put around it
in the composition root. Repeated exports come from memory while storage is unchanged, exactly
as fresh as a database read."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Hashable
from dataclasses import dataclass
from typing import Protocol

from application.ports.export import Export, ExportAnswer, ExportRequest
from domain.export_format.losses import EntityLosses

log = logging.getLogger(__name__)


class ChangeCounter(Protocol):
    async def current(self) -> int:
        """A number that changes whenever a write to stored entities commits, wherever it was
        made, read after this call began. Read it before reading entities: what is read then
        is at least that fresh."""
        ...


class CachedExport(Export):
    """The change counter is read before the export's snapshot begins, and an answer kept
    under one reading of it is served only while it reads the same. A write committed before
    the request, by any worker or machine, therefore invalidates at once. Only answers read
    whole, without losses, are kept; least recently used ones go first past `max_bytes`."""

    def __init__(self, export: Export, counter: ChangeCounter, max_bytes: int) -> None:
        self._export = export
        self._counter = counter
        self._kept = AnswerCache(max_bytes)

    async def answer(self, request: ExportRequest) -> ExportAnswer:
        generation = await self._generation()
        if generation is None:
            return await self._export.answer(request)
        key = request.key
        kept = self._kept.get(key, generation)
        if kept is not None:
            return WholeAnswer(kept.payload, kept.entities)
        answer = await self._export.answer(request)
        if answer.losses:
            return answer
        return KeptAsItPasses(answer, self._kept, key, generation)

    async def _generation(self) -> int | None:
        try:
            return await self._counter.current()
        except Exception:  # noqa: BLE001 - without the counter, answer uncached; the export says why
            log.warning("the change counter could not be read; answering without the cache")
            return None


class WholeAnswer(ExportAnswer):
    """An answer already in memory in one piece: sent at once, nothing to close."""

    __slots__ = ("_entities", "_payload")

    def __init__(self, payload: bytes, entities: int) -> None:
        self._payload: bytes | None = payload
        self._entities = entities

    @property
    def entities(self) -> int:
        return self._entities

    @property
    def losses(self) -> tuple[EntityLosses, ...]:
        return ()

    @property
    def whole(self) -> bytes | None:
        return self._payload

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self

    async def __anext__(self) -> bytes:
        payload, self._payload = self._payload, None
        if payload is None:
            raise StopAsyncIteration
        return payload

    async def aclose(self) -> None:
        self._payload = None


class KeptAsItPasses(ExportAnswer):
    """The use case's answer, its blocks passed on as they come; once the last one has passed,
    the whole answer is kept, if it fits."""

    def __init__(
        self, answer: ExportAnswer, cache: AnswerCache, key: Hashable, generation: int
    ) -> None:
        self._answer = answer
        self._blocks = answer.__aiter__()
        self._cache = cache
        self._key = key
        self._generation = generation
        self._passed: list[bytes] | None = []
        self._size = 0

    @property
    def losses(self) -> tuple[EntityLosses, ...]:
        return self._answer.losses

    @property
    def entities(self) -> int:
        return self._answer.entities

    @property
    def whole(self) -> bytes | None:
        return self._answer.whole

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self

    async def __anext__(self) -> bytes:
        try:
            block = await self._blocks.__anext__()
        except StopAsyncIteration:
            if self._passed is not None:
                payload = b"".join(self._passed)
                self._cache.put(self._key, _Entry(self._generation, payload, self.entities))
                self._passed = None
            raise
        self._size += len(block)
        if self._passed is not None:
            if self._size <= self._cache.max_entry_bytes:
                self._passed.append(block)
            else:
                self._passed = None  # too large to keep: hold none of it
        return block

    async def aclose(self) -> None:
        self._passed = None
        await self._answer.aclose()


@dataclass(frozen=True, slots=True)
class _Entry:
    generation: int
    payload: bytes
    entities: int


class AnswerCache:
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

    def get(self, key: Hashable, generation: int) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.generation != generation:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: Hashable, entry: _Entry) -> None:
        if len(entry.payload) > self.max_entry_bytes:
            return
        self._drop(key)
        self._entries[key] = entry
        self._size += len(entry.payload)
        while self._size > self._max_bytes:
            oldest = next(iter(self._entries))
            self._drop(oldest)

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, key: Hashable) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._size -= len(entry.payload)
