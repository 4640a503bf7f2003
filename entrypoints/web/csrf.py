"""Every form of the web pages carries its session's CSRF token (OWASP's synchronizer token
pattern): the token is kept in the server-side session, written into each form, and compared
in constant time with the one a POST sends. A token that any visitor can obtain (by opening
the sign-in form) is bound to that visitor's own pre-session, so it is good for nobody else's
session, whatever cookies a page on a sibling origin manages to set."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import Any

from litestar import Request
from litestar.enums import ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.middleware import MiddlewareProtocol
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from application.ports.web_state import WebSession
from domain.actor import Actor
from domain.errors import NotAuthorized
from entrypoints.web.sessions import PRE_SESSION_COOKIE, SESSION_COOKIE, SignInSessions

CSRF_FIELD = "_csrf_token"
WEB_SESSION = "boardport_web_session"
"""Key in the scope's state: the request's current session (or None), read once, here."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SessionCsrf(MiddlewareProtocol):
    """Refuses (403) a POST whose `_csrf_token` is not the current session's; gives the pages'
    templates the current session's token (as `csrf_input`) for the forms they show."""

    def __init__(self, app: ASGIApp, sessions: SignInSessions) -> None:
        self.app = app
        self._sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request: Request[Any, Any, Any] = Request(scope, receive)
        session = self._sessions.current(
            request.cookies.get(SESSION_COOKIE), request.cookies.get(PRE_SESSION_COOKIE)
        )
        if request.method not in SAFE_METHODS:
            # The form is parsed once: the handler's own `request.form()` reads it from the scope.
            sent = (await request.form()).get(CSRF_FIELD)
            if (
                session is None
                or not isinstance(sent, str)
                or not secrets.compare_digest(sent.encode(), session.csrf_token.encode())
            ):
                raise PermissionDeniedException("CSRF token verification failed")
        scope.setdefault("state", {})[WEB_SESSION] = session
        if session is not None:
            ScopeState.from_scope(scope).csrf_token = session.csrf_token
        await self.app(scope, receive, send)


def session_csrf(sessions: SignInSessions) -> Callable[[ASGIApp], ASGIApp]:
    """The middleware over these sessions. A function, not a `DefineMiddleware`: the router
    that holds it is deep-copied when it is registered, and the middleware must check the
    very sessions the pages open."""

    def middleware(app: ASGIApp) -> ASGIApp:
        return SessionCsrf(app, sessions)

    return middleware


def signed_in_actor(scope: Mapping[str, Any]) -> Actor:
    """Who the request's signed-in session is (the guard let only those through): the actor of
    the token it signed in with, as history records it."""
    session = scope.get("state", {}).get(WEB_SESSION)
    if not isinstance(session, WebSession) or session.actor is None:
        raise NotAuthorized("Sign in first.")
    return session.actor
