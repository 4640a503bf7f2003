"""Puts the web pages together: templates, their static files, sessions, CSRF, and how a page
answers a refusal (a page, or the sign-in form), never the API's JSON."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, Router
from litestar.connection import ASGIConnection
from litestar.datastructures import CacheControlHeader
from litestar.di import Provide
from litestar.handlers import BaseRouteHandler
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.status_codes import HTTP_303_SEE_OTHER
from litestar.template.config import TemplateConfig
from litestar.types import Scope

from application.ports.web_state import PendingImports as PendingImportStore
from application.ports.web_state import WebSession, WebSessions
from entrypoints.asgi_shared.security_headers import WEB_PAGE_STATE
from entrypoints.release import release_version
from entrypoints.web.bidi import bdi, isolated
from entrypoints.web.collection_pages import CollectionPages
from entrypoints.web.csrf import WEB_SESSION, session_csrf
from entrypoints.web.deletion_pages import DeletionPages
from entrypoints.web.error_pages import PAGE_ERRORS, SESSIONS_STATE, SIGNED_IN_STATE
from entrypoints.web.export_pages import ExportPages
from entrypoints.web.history_pages import HistoryPages
from entrypoints.web.import_pages import ImportPages
from entrypoints.web.pages import SignedInPages, SignInPages, collection_path
from entrypoints.web.pending_imports import WaitingImports
from entrypoints.web.sessions import SESSION_COOKIE, SignInSessions

WEB_DIRECTORY = Path(__file__).parent
STATIC_PATH = "/static/web"
_STATIC_MAX_AGE = 24 * 60 * 60


STATIC_VERSIONED = f"{STATIC_PATH}/{release_version()}"
SIGNED_IN_PAGES = (
    SignedInPages,
    CollectionPages,
    ExportPages,
    ImportPages,
    DeletionPages,
    HistoryPages,
)


class SignInRequired(Exception):
    """The request has no open session: the page sends the browser to the sign-in form."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("sign in first")
        self.expired = expired


def page_templates() -> TemplateConfig[JinjaTemplateEngine]:
    def add_globals(engine: JinjaTemplateEngine) -> None:
        engine.engine.globals.update(static_path=STATIC_VERSIONED, collection_path=collection_path)
        engine.engine.filters.update(bdi=bdi, isolated=isolated)

    return TemplateConfig(
        directory=WEB_DIRECTORY / "templates",
        engine=JinjaTemplateEngine,
        engine_callback=add_globals,
    )


def web_routers(session_store: WebSessions, pending_store: PendingImportStore) -> list[Router]:
    """The pages, and the static files they load. The use cases the pages call are the app's
    dependencies, as the API's are; sign-in sessions (with their CSRF tokens) and the imports
    waiting for their confirm step are kept in the database, shared by every worker."""
    sessions = SignInSessions(session_store)
    pending = WaitingImports(pending_store)

    def signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if not _signed_in(connection.scope):
            raise SignInRequired(expired=bool(connection.cookies.get(SESSION_COOKIE)))

    async def mark_signed_in(request: Request[Any, Any, Any]) -> None:
        request.state[WEB_PAGE_STATE] = True
        request.state[SIGNED_IN_STATE] = _signed_in(request.scope)

    pages = Router(
        path="/",
        route_handlers=[SignInPages, _guarded(SIGNED_IN_PAGES, signed_in)],
        dependencies={
            "web_sessions": Provide(lambda: sessions, sync_to_thread=False),
            "pending_imports": Provide(lambda: pending, sync_to_thread=False),
        },
        middleware=[session_csrf(sessions)],
        before_request=mark_signed_in,
        exception_handlers=_REFUSALS,  # type: ignore[arg-type]
        include_in_schema=False,
    )
    return [pages, _static_files()]


def web_app_state(session_store: WebSessions) -> dict[str, object]:
    """What the app keeps for the pages: the sessions, which an error page on any path (one
    no page's router answers) asks whether the visitor is signed in."""
    return {SESSIONS_STATE: SignInSessions(session_store)}


def _signed_in(scope: Scope) -> bool:
    """Whether the session the CSRF check found for this request is a signed-in one."""
    session = scope.get("state", {}).get(WEB_SESSION)
    return isinstance(session, WebSession) and session.signed_in


def _static_files() -> Router:
    return create_static_files_router(
        path=STATIC_VERSIONED,
        directories=[WEB_DIRECTORY / "static"],
        cache_control=CacheControlHeader(max_age=_STATIC_MAX_AGE, public=True),
        include_in_schema=False,
        name="web-static",
    )


def _guarded(controllers: Sequence[type[Controller]], guard: Any) -> Router:
    return Router(path="/", route_handlers=list(controllers), guards=[guard])


def _to_sign_in(request: Request[Any, Any, Any], refusal: SignInRequired) -> Response[Any]:
    """To the sign-in form, which sends the visitor back here once signed in (a GET page of
    this site only: `back` is a path, never another origin)."""
    query: dict[str, str] = {}
    if refusal.expired:
        query["expired"] = "true"
    if request.method == "GET" and request.url.path != "/":
        query["back"] = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = f"/sign-in?{urlencode(query)}" if query else "/sign-in"
    return Redirect(target, status_code=HTTP_303_SEE_OTHER)


_REFUSALS: dict[type[Exception], Callable[[Request[Any, Any, Any], Any], Response[Any]]] = {
    SignInRequired: _to_sign_in,
    **PAGE_ERRORS,
}
