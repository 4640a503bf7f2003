"""Who is signed in to the web pages: sessions kept in the database (`WebSessions`), so every
worker and every instance shares them and a restart keeps them. Each has an unguessable ID in a
cookie and a CSRF token of its own (OWASP's synchronizer token), kept server-side, never in a
cookie; it remembers who signed in (the `Actor` the token was verified as), never the token.

The sign-in form is posted before any session exists, so it gets a pre-session of its own:
another unguessable ID in another cookie, with its own CSRF token and a short life. Signing in
ends it and opens a new session, under a new ID."""

from __future__ import annotations

from datetime import timedelta

from application.ports.web_state import WebSession, WebSessions
from domain.actor import Actor

SESSION_COOKIE = "boardport_session"
PRE_SESSION_COOKIE = "boardport_sign_in"
SESSION_LIFETIME = timedelta(hours=8)
PRE_SESSION_LIFETIME = timedelta(hours=1)


class SignInSessions:
    def __init__(
        self,
        store: WebSessions,
        lifetime: timedelta = SESSION_LIFETIME,
        pre_session_lifetime: timedelta = PRE_SESSION_LIFETIME,
    ) -> None:
        self._store = store
        self._lifetime = lifetime
        self._pre_lifetime = min(lifetime, pre_session_lifetime)

    @property
    def lifetime(self) -> timedelta:
        return self._lifetime

    def open(self, actor: Actor) -> WebSession:
        """A new signed-in session for `actor`, with an ID and a CSRF token of its own."""
        return self._store.open(actor, self._lifetime)

    def open_pre_session(self) -> WebSession:
        """A session for the sign-in form alone: its CSRF token is good for nothing else."""
        return self._store.open(None, self._pre_lifetime)

    def signed_in(self, session_id: str | None) -> WebSession | None:
        session = self._store.get(session_id)
        return session if session is not None and session.signed_in else None

    def pre_session(self, pre_session_id: str | None) -> WebSession | None:
        session = self._store.get(pre_session_id)
        return session if session is not None and not session.signed_in else None

    def current(self, session_id: str | None, pre_session_id: str | None) -> WebSession | None:
        """The session whose CSRF token a form must carry: the signed-in one when there is
        one, else the sign-in form's pre-session."""
        return self.signed_in(session_id) or self.pre_session(pre_session_id)

    def close(self, session_id: str | None) -> None:
        self._store.close(session_id)
