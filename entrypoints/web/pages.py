"""The web pages: one more entrypoint beside the API and the CLI. Every handler calls the same
use cases the API calls; the pages hold no query and no rule of their own."""

from __future__ import annotations

import logging
from datetime import datetime
from math import ceil
from typing import Any, cast
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_429_TOO_MANY_REQUESTS
from litestar.utils.scope.state import ScopeState

from application.ports.clock import Clock
from application.ports.token_verifier import TokenVerifier
from application.ports.web_state import SignInThrottle
from application.use_cases.browse_collections import BrowseCollections
from application.use_cases.browse_history import BrowseHistory
from application.use_cases.get_collection import GetCollection
from application.use_cases.show_dashboard import ShowDashboard
from application.use_cases.show_report import ShowReport
from domain.entity_type import EntityType
from domain.errors import NotAuthorized
from domain.export_format.releases import RELEASES
from domain.history import EntityKey
from entrypoints.web.error_pages import error_page
from entrypoints.web.history_section import HISTORY_SHOWN, history_section
from entrypoints.web.layout import CELL, dashboard_layout, filter_labels
from entrypoints.web.sessions import PRE_SESSION_COOKIE, SESSION_COOKIE, SignInSessions

TYPE_NAMES = {
    EntityType.SINGLE_PROCESS_REPORT: "process report",
    EntityType.SINGLE_DECISION_REPORT: "decision report",
    EntityType.COMBINED_REPORT: "combined report",
    EntityType.DASHBOARD: "dashboard",
}
OUTSIDE_COLLECTIONS = "/outside-collections"
RELEASE_CHOICES = [name for name in reversed(RELEASES) if name != "latest"]
"""The releases an export may be written for, newest first (today's format is offered apart)."""
log = logging.getLogger(__name__)


def collection_path(collection_id: str | None) -> str:
    return OUTSIDE_COLLECTIONS if collection_id is None else f"/collections/{quote(collection_id)}"


class SignInPages(Controller):
    """The pages anyone may open: the sign-in form and its answer."""

    path = "/"
    include_in_schema = False

    @get("/sign-in", sync_to_thread=False)
    def sign_in_form(
        self,
        request: Request[Any, Any, Any],
        web_sessions: NamedDependency[SignInSessions],
        expired: FromQuery[bool] = False,
        back: FromQuery[str] = "/",
    ) -> Template:
        """The form, with the CSRF token of the visitor's session: the signed-in one, else a
        pre-session of the visitor's own, opened now when there is none."""
        context = {"expired": expired, "back": local_path(back)}
        cookies = request.cookies
        if web_sessions.current(cookies.get(SESSION_COOKIE), cookies.get(PRE_SESSION_COOKIE)):
            return Template("sign_in.html", context=context)
        pre_session = web_sessions.open_pre_session()
        ScopeState.from_scope(request.scope).csrf_token = pre_session.csrf_token
        cookie = _cookie(request, PRE_SESSION_COOKIE, pre_session.id, max_age=None)
        return Template("sign_in.html", context=context, cookies=[cookie])

    @post("/sign-in")
    async def sign_in(
        self,
        request: Request[Any, Any, Any],
        token_verifier: NamedDependency[Any],  # a Protocol: Litestar cannot check it
        sign_in_throttle: NamedDependency[Any],  # a Protocol too
        clock: NamedDependency[Any],  # a Protocol too
        web_sessions: NamedDependency[SignInSessions],
    ) -> Response[Any]:
        """Signs in with the API token. A client address that fails too often is refused
        unchecked for a while (domain/sign_in_throttle.py); each failure is logged with the
        address, never with the token sent."""
        verifier: TokenVerifier = token_verifier
        throttle: SignInThrottle = sign_in_throttle
        now = cast("Clock", clock).now()
        address = _address(request)
        form = await request.form()
        back = local_path(_text(form.get("back")))
        refused_until = throttle.refused_until(address, now)
        if refused_until is not None:
            return _throttled(request, refused_until, now)
        token = form.get("token")
        try:
            actor = await verifier.verify(token if isinstance(token, str) and token else None)
        except NotAuthorized as refused:
            return _refused(request, throttle, refused, back, now)
        throttle.succeeded(address)
        # A new session under a new ID, whatever the visitor held before (no fixation).
        web_sessions.close(request.cookies.get(SESSION_COOKIE))
        web_sessions.close(request.cookies.get(PRE_SESSION_COOKIE))
        session = web_sessions.open(actor)
        lifetime = int(web_sessions.lifetime.total_seconds())
        return Redirect(
            back,
            status_code=HTTP_303_SEE_OTHER,
            cookies=[
                _cookie(request, SESSION_COOKIE, session.id, max_age=lifetime),
                _cookie(request, PRE_SESSION_COOKIE, "", max_age=0),
            ],
        )


def local_path(path: str) -> str:
    """A path of this site to go back to after signing in; anything else (another origin, a
    scheme, a protocol-relative `//host`) is the first page."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    if any(ord(c) < 0x20 or c == "\x7f" for c in path):
        return "/"
    return path


def _refused(
    request: Request[Any, Any, Any],
    throttle: SignInThrottle,
    refused: NotAuthorized,
    back: str,
    now: datetime,
) -> Response[Any]:
    """The form again, saying why; or, when this failure was one too many, the 429 page."""
    address = _address(request)
    failures = throttle.failed(address, now)
    log.warning("sign-in from %s refused: %s", address, refused.detail)
    blocked = failures.refused_until(now)
    if blocked is not None:
        return _throttled(request, blocked, now)
    context = {"problem": refused.detail, "back": back}
    return Template("sign_in.html", context=context, status_code=401)


def _address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


def _throttled(request: Request[Any, Any, Any], until: datetime, now: datetime) -> Response[Any]:
    seconds = max(ceil((until - now).total_seconds()), 1)
    log.warning("sign-in from %s refused unchecked for %d s", _address(request), seconds)
    return error_page(
        request,
        HTTP_429_TOO_MANY_REQUESTS,
        "Too many attempts",
        f"Too many failed sign-ins came from your address. Try again in {_duration(seconds)}.",
        headers={"Retry-After": str(seconds)},
    )


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} seconds"
    minutes = ceil(seconds / 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _cookie(
    request: Request[Any, Any, Any], key: str, value: str, *, max_age: int | None
) -> Cookie:
    return Cookie(
        key=key,
        value=value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


class SignedInPages(Controller):
    """Browsing, the dashboard page, export and sign-out (the import and delete pages have
    modules of their own); the router's guard lets only a signed-in session through."""

    path = "/"
    include_in_schema = False

    @post("/sign-out", sync_to_thread=False)
    def sign_out(
        self, request: Request[Any, Any, Any], web_sessions: NamedDependency[SignInSessions]
    ) -> Response[Any]:
        web_sessions.close(request.cookies.get(SESSION_COOKIE))
        return Redirect(
            "/sign-in",
            status_code=HTTP_303_SEE_OTHER,
            cookies=[_cookie(request, SESSION_COOKIE, "", max_age=0)],
        )

    @get("/", sync_to_thread=True)
    def collections(self, browse_collections: NamedDependency[BrowseCollections]) -> Template:
        return Template("collections.html", context={"collections": browse_collections()})

    @get("/dashboards/{dashboard_id:str}", sync_to_thread=True)
    def dashboard(
        self,
        dashboard_id: FromPath[str],
        show_dashboard: NamedDependency[ShowDashboard],
        get_collection: NamedDependency[GetCollection],
        browse_history: NamedDependency[BrowseHistory],
    ) -> Template:
        view = show_dashboard(dashboard_id)
        collection_id = view.dashboard.collection_id
        name = "Outside any collection"
        if collection_id is not None:
            name = get_collection(collection_id).name
        return Template(
            "dashboard.html",
            context={
                "dashboard": view.dashboard,
                "collection_name": name,
                "layout": dashboard_layout(view),
                "filters": filter_labels(view.dashboard.available_filters.value),
                "cell": CELL,
                "history": history_section(
                    browse_history, EntityKey("dashboard", dashboard_id), shown=HISTORY_SHOWN
                ),
                "releases": RELEASE_CHOICES,
            },
        )

    @get("/reports/{report_id:str}", sync_to_thread=True)
    def report(
        self,
        report_id: FromPath[str],
        show_report: NamedDependency[ShowReport],
        get_collection: NamedDependency[GetCollection],
        browse_history: NamedDependency[BrowseHistory],
    ) -> Template:
        view = show_report(report_id)
        collection_id = view.report.collection_id
        name = "Outside any collection"
        if collection_id is not None:
            name = get_collection(collection_id).name
        return Template(
            "report.html",
            context={
                "view": view,
                "report": view.report,
                "collection_name": name,
                "type_names": TYPE_NAMES,
                "releases": RELEASE_CHOICES,
                "history": history_section(
                    browse_history, EntityKey("report", report_id), shown=HISTORY_SHOWN
                ),
            },
        )
