"""Who is signed in to the web pages: sessions held in this server process's memory, each an
unguessable ID in a cookie and a CSRF token of its own (OWASP's synchronizer token), kept here
and never in a cookie. A session holds no API token: that is checked once, at sign-in, through
the same `TokenVerifier` as the API, and never stored, shown or logged.

The sign-in form is posted before any session exists, so it gets a pre-session of its own:
another unguessable ID in another cookie, with its own CSRF token and a short life. Signing
in ends it and opens a new session, under a new ID."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from application.ports.clock import Clock

SESSION_COOKIE = "boardport_session"
PRE_SESSION_COOKIE = "boardport_sign_in"
SESSION_LIFETIME = timedelta(hours=8)
PRE_SESSION_LIFETIME = timedelta(hours=1)
MAX_SESSIONS = 10_000


@dataclass(frozen=True, slots=True)
class WebSession:
    id: str
    csrf_token: str
    expires: datetime
    signed_in: bool


class _Store:
    """Sessions by ID, each until it expires; when full, those closest to expiry go first."""

    def __init__(self, clock: Clock, lifetime: timedelta, max_sessions: int) -> None:
        self._clock = clock
        self._lifetime = lifetime
        self._max = max_sessions
        self._kept: dict[str, WebSession] = {}
        self._lock = threading.Lock()

    def open(self, *, signed_in: bool) -> WebSession:
        session = WebSession(
            secrets.token_urlsafe(32),
            secrets.token_urlsafe(32),
            self._clock.now() + self._lifetime,
            signed_in,
        )
        with self._lock:
            self._forget_expired()
            while len(self._kept) >= self._max:
                del self._kept[min(self._kept, key=lambda s: self._kept[s].expires)]
            self._kept[session.id] = session
        return session

    def get(self, session_id: str | None) -> WebSession | None:
        if not session_id:
            return None
        with self._lock:
            session = self._kept.get(session_id)
            if session is None:
                return None
            if session.expires <= self._clock.now():
                del self._kept[session_id]
                return None
            return session

    def close(self, session_id: str | None) -> None:
        with self._lock:
            self._kept.pop(session_id or "", None)

    def _forget_expired(self) -> None:
        now = self._clock.now()
        for session_id in [s for s, kept in self._kept.items() if kept.expires <= now]:
            del self._kept[session_id]


class SignInSessions:
    """Signed-in sessions and the sign-in form's pre-sessions, in two stores, so that a flood
    of visitors who never sign in cannot push a signed-in session out."""

    def __init__(
        self,
        clock: Clock,
        lifetime: timedelta = SESSION_LIFETIME,
        max_sessions: int = MAX_SESSIONS,
    ) -> None:
        self._lifetime = lifetime
        self._signed_in = _Store(clock, lifetime, max_sessions)
        self._pre = _Store(clock, min(lifetime, PRE_SESSION_LIFETIME), max_sessions)

    @property
    def lifetime(self) -> timedelta:
        return self._lifetime

    def open(self) -> WebSession:
        """A new signed-in session, with an ID and a CSRF token of its own."""
        return self._signed_in.open(signed_in=True)

    def open_pre_session(self) -> WebSession:
        """A session for the sign-in form alone: its CSRF token is good for nothing else."""
        return self._pre.open(signed_in=False)

    def signed_in(self, session_id: str | None) -> WebSession | None:
        return self._signed_in.get(session_id)

    def pre_session(self, pre_session_id: str | None) -> WebSession | None:
        return self._pre.get(pre_session_id)

    def current(self, session_id: str | None, pre_session_id: str | None) -> WebSession | None:
        """The session whose CSRF token a form must carry: the signed-in one when there is
        one, else the sign-in form's pre-session."""
        return self.signed_in(session_id) or self.pre_session(pre_session_id)

    def is_open(self, session_id: str | None) -> bool:
        return self.signed_in(session_id) is not None

    def close(self, session_id: str | None) -> None:
        self._signed_in.close(session_id)

    def close_pre_session(self, pre_session_id: str | None) -> None:
        self._pre.close(pre_session_id)
