"""Import files between the dry run and the confirm: uploaded once, kept in this server
process's memory for a while, for the session that sent them, then forgotten."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from application.ports.clock import Clock

PENDING_LIFETIME = timedelta(minutes=15)
MAX_PENDING_BYTES = 256 * 1024 * 1024
"""All kept files together; past it the oldest are forgotten first."""


@dataclass(frozen=True, slots=True)
class PendingImport:
    session_id: str
    collection_id: str
    file_name: str
    content: bytes
    expires: datetime
    overwrite: bool = False


class PendingImports:
    def __init__(
        self,
        clock: Clock,
        lifetime: timedelta = PENDING_LIFETIME,
        max_bytes: int = MAX_PENDING_BYTES,
    ) -> None:
        self._clock = clock
        self._lifetime = lifetime
        self._max_bytes = max_bytes
        self._kept: dict[str, PendingImport] = {}
        self._lock = threading.Lock()

    @property
    def lifetime(self) -> timedelta:
        return self._lifetime

    def keep(
        self,
        session_id: str,
        collection_id: str,
        file_name: str,
        content: bytes,
        *,
        overwrite: bool = False,
    ) -> str:
        """Keeps a file (and how it is to be imported); answers the key its confirm step names."""
        key = secrets.token_urlsafe(24)
        expires = self._clock.now() + self._lifetime
        pending = PendingImport(session_id, collection_id, file_name, content, expires, overwrite)
        with self._lock:
            self._forget_expired()
            while self._kept and self._size() + len(content) > self._max_bytes:
                del self._kept[next(iter(self._kept))]
            self._kept[key] = pending
        return key

    def take(self, key: str, session_id: str) -> PendingImport | None:
        """The file kept under `key` for this session, forgotten as it is taken; None when there
        is none (never kept, expired, already taken, or another session's)."""
        with self._lock:
            self._forget_expired()
            pending = self._kept.get(key)
            if pending is None or not secrets.compare_digest(pending.session_id, session_id):
                return None
            del self._kept[key]
            return pending

    def peek(self, key: str, session_id: str) -> PendingImport | None:
        with self._lock:
            self._forget_expired()
            pending = self._kept.get(key)
            if pending is None or not secrets.compare_digest(pending.session_id, session_id):
                return None
            return pending

    def _size(self) -> int:
        return sum(len(p.content) for p in self._kept.values())

    def _forget_expired(self) -> None:
        now = self._clock.now()
        for key in [k for k, p in self._kept.items() if p.expires <= now]:
            del self._kept[key]
