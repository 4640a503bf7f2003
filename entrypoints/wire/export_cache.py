from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class _Entry:
    generation: int
    payload: bytes


class ExportCache:
    """Finished export bytes by request, each labelled with the change counter read before the
    export's snapshot. An entry answers only while the counter still reads the same, so a cached
    export is never older than the last write that committed before the request. Least recently
    used entries go first once the payloads pass `max_bytes`."""

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
