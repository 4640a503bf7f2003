"""What the web pages keep between requests, in storage that every worker and every instance
of the server shares: who is signed in (with the session's CSRF token), the files waiting for
their import to be confirmed, and the sign-in failures of each client address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from domain.actor import Actor
from domain.sign_in_throttle import SignInFailures


@dataclass(frozen=True, slots=True)
class WebSession:
    """A session: its ID (the cookie's value), the CSRF token its forms carry, who signed in
    (None for the sign-in form's pre-session) and when it expires."""

    id: str
    csrf_token: str
    actor: Actor | None
    expires: datetime

    @property
    def signed_in(self) -> bool:
        return self.actor is not None


@dataclass(frozen=True, slots=True)
class PendingImport:
    session_id: str
    collection_id: str
    file_name: str
    content: bytes
    expires: datetime
    overwrite: bool = False
    prune: bool = False


class WebSessions(Protocol):
    def open(self, actor: Actor | None, lifetime: timedelta) -> WebSession:
        """A new session under a new, unguessable ID, with a CSRF token of its own; `actor`
        None opens the sign-in form's pre-session. Expired sessions go."""
        ...

    def get(self, session_id: str | None) -> WebSession | None:
        """The session, unless it is unknown or has expired."""
        ...

    def close(self, session_id: str | None) -> None: ...


class PendingImports(Protocol):
    def keep(
        self,
        session_id: str,
        collection_id: str,
        file_name: str,
        content: bytes,
        *,
        overwrite: bool,
        prune: bool = False,
        lifetime: timedelta,
        max_bytes: int,
    ) -> str:
        """Keeps a file for the session's confirm step; answers the key the step names. All
        files kept together stay within `max_bytes`: the oldest go first."""
        ...

    def take(self, key: str, session_id: str) -> PendingImport | None:
        """The file kept under `key` for this session, forgotten as it is taken; None when
        there is none (never kept, expired, taken already, or another session's)."""
        ...


class SignInThrottle(Protocol):
    def refused_until(self, address: str, now: datetime) -> datetime | None:
        """Until when a sign-in from this client address is refused unchecked, if it is."""
        ...

    def failed(self, address: str, now: datetime) -> SignInFailures:
        """Notes a failed sign-in from the address (`after_failure`, in one transaction, so
        that workers failing the same address at once all count)."""
        ...

    def succeeded(self, address: str) -> None:
        """Forgets the address's failures."""
        ...
