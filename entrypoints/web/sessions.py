"""Who is signed in to the web pages: sessions held in this server process's memory, each an
unguessable ID in a cookie. A session holds no token: the token is checked once, at sign-in,
through the same `TokenVerifier` as the API, and never stored, shown or logged."""

from __future__ import annotations

import secrets
import threading
from datetime import datetime, timedelta

from application.ports.clock import Clock

SESSION_COOKIE = "boardport_session"
SESSION_LIFETIME = timedelta(hours=8)
MAX_SESSIONS = 10_000


class SignInSessions:
    def __init__(
        self,
        clock: Clock,
        lifetime: timedelta = SESSION_LIFETIME,
        max_sessions: int = MAX_SESSIONS,
    ) -> None:
        self._clock = clock
        self._lifetime = lifetime
        self._max = max_sessions
        self._expiry: dict[str, datetime] = {}
        self._lock = threading.Lock()

    @property
    def lifetime(self) -> timedelta:
        return self._lifetime

    def open(self) -> str:
        """A new session's ID. When the store is full, the sessions closest to expiry go."""
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            self._forget_expired()
            while len(self._expiry) >= self._max:
                del self._expiry[min(self._expiry, key=self._expiry.__getitem__)]
            self._expiry[session_id] = self._clock.now() + self._lifetime
        return session_id

    def is_open(self, session_id: str | None) -> bool:
        if not session_id:
            return False
        with self._lock:
            expiry = self._expiry.get(session_id)
            if expiry is None:
                return False
            if expiry <= self._clock.now():
                del self._expiry[session_id]
                return False
            return True

    def close(self, session_id: str | None) -> None:
        with self._lock:
            self._expiry.pop(session_id or "", None)

    def _forget_expired(self) -> None:
        now = self._clock.now()
        for session_id in [s for s, expiry in self._expiry.items() if expiry <= now]:
            del self._expiry[session_id]
