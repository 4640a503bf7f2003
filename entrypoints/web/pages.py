"""The web pages: one more entrypoint beside the API and the CLI. Every handler calls the same
use cases the API calls; the pages hold no query and no rule of their own."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, SkipValidation
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from litestar.utils.scope.state import ScopeState

from application.ports.export import Export, ExportKind, ExportRequest, ExportTarget
from application.ports.token_verifier import TokenVerifier
from application.use_cases.browse_collections import BrowseCollections
from application.use_cases.browse_history import BrowseHistory
from application.use_cases.get_collection import GetCollection
from application.use_cases.show_collection import ShowCollection
from application.use_cases.show_dashboard import ShowDashboard
from domain.entity_type import EntityType
from domain.errors import DomainError, NotAuthorized
from domain.export_format.losses import LossesRefused
from domain.export_format.releases import RELEASES
from domain.history import EntityKey
from entrypoints.asgi_shared.export_answers import send
from entrypoints.error_table import body_for
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
    ) -> Template:
        """The form, with the CSRF token of the visitor's session: the signed-in one, else a
        pre-session of the visitor's own, opened now when there is none."""
        context = {"expired": expired}
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
        web_sessions: NamedDependency[SignInSessions],
    ) -> Response[Any]:
        verifier: TokenVerifier = token_verifier
        form = await request.form()
        token = form.get("token")
        try:
            actor = await verifier.verify(token if isinstance(token, str) and token else None)
        except NotAuthorized as refused:
            return Template("sign_in.html", context={"problem": refused.detail}, status_code=401)
        # A new session under a new ID, whatever the visitor held before (no fixation).
        web_sessions.close(request.cookies.get(SESSION_COOKIE))
        web_sessions.close(request.cookies.get(PRE_SESSION_COOKIE))
        session = web_sessions.open(actor)
        lifetime = int(web_sessions.lifetime.total_seconds())
        return Redirect(
            "/",
            status_code=HTTP_303_SEE_OTHER,
            cookies=[
                _cookie(request, SESSION_COOKIE, session.id, max_age=lifetime),
                _cookie(request, PRE_SESSION_COOKIE, "", max_age=0),
            ],
        )


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

    @get("/collections/{collection_id:str}", sync_to_thread=True)
    def collection(
        self,
        collection_id: FromPath[str],
        show_collection: NamedDependency[ShowCollection],
        q: FromQuery[str] = "",
    ) -> Template:
        return _collection_page(show_collection, collection_id, q)

    @get(OUTSIDE_COLLECTIONS, sync_to_thread=True)
    def outside_collections(
        self, show_collection: NamedDependency[ShowCollection], q: FromQuery[str] = ""
    ) -> Template:
        return _collection_page(show_collection, None, q)

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
            },
        )

    @post("/export")
    async def export(
        self,
        request: Request[Any, Any, Any],
        export: NamedDependency[SkipValidation[Export]],  # a Protocol: not checked
    ) -> Response[Any] | Template:
        """The file the API answers for the ticked entities, in the chosen release's format,
        byte for byte, as a download; what the API refuses is shown in its words."""
        form = await request.form()
        release = form.get("release")
        kind: ExportKind = "reports" if form.get("kind") == "reports" else "dashboards"
        try:
            target = ExportTarget.named(
                release if isinstance(release, str) else None,
                allow_loss=form.get("allow_loss") == "true",
            )
            ids = _strings(form.getall(kind.removesuffix("s"), []))
            answer = await send(await export.answer(ExportRequest.of(kind, ids, target)))
            name = f"boardport-{kind}.json"
        except LossesRefused as refused:
            refused = LossesRefused(refused.release, refused.losses, hint=_LOSS_HINT)
            return _export_refused(refused)
        except DomainError as refused:
            return _export_refused(refused)
        answer.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return answer


_LOSS_HINT = (
    "Tick “Write it even if that release cannot hold everything” to download it without these."
)


def _export_refused(refused: DomainError) -> Template:
    body = body_for(refused)
    return Template(
        "message.html",
        context={
            "heading": "The export was refused",
            "text": f"{body.error_code}: {body.detailed_message}",
        },
        status_code=body.status,
    )


def _collection_page(show: ShowCollection, collection_id: str | None, query: str) -> Template:
    contents = show(collection_id)
    wanted = query.strip().casefold()
    title = contents.collection.name if contents.collection else "Outside any collection"
    return Template(
        "collection.html",
        context={
            "title": title,
            "collection_id": collection_id,
            "query": query,
            "dashboards": [d for d in contents.dashboards if wanted in d.name.casefold()],
            "reports": [r for r in contents.reports if wanted in r.name.casefold()],
            "type_names": TYPE_NAMES,
            "releases": [name for name in reversed(RELEASES) if name != "latest"],
        },
    )


def _strings(values: list[Any]) -> list[str]:
    return [v for v in values if isinstance(v, str)]
