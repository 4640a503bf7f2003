"""The web pages: one more entrypoint beside the API and the CLI. Every handler calls the same
use cases the API calls; the pages hold no query and no rule of their own."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie, UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from application.ports.token_verifier import TokenVerifier
from application.use_cases.browse_collections import BrowseCollections
from application.use_cases.delete_dashboard import DeleteDashboard
from application.use_cases.delete_report import DeleteReport
from application.use_cases.get_collection import GetCollection
from application.use_cases.import_entities import ImportEntities
from application.use_cases.preview_report_deletion import PreviewReportDeletion
from application.use_cases.show_collection import ShowCollection
from application.use_cases.show_dashboard import ShowDashboard
from domain.entity_type import EntityType
from domain.errors import DomainError, NotAuthorized
from domain.export_format.reader import read_export_file
from domain.export_format.releases import RELEASES
from domain.import_plan import ImportedItem
from entrypoints.error_table import body_for
from entrypoints.http.export_responses import ExportResponses, ExportTarget
from entrypoints.web.layout import CELL, dashboard_layout, filter_labels
from entrypoints.web.pending_imports import PendingImports
from entrypoints.web.sessions import SESSION_COOKIE, SignInSessions
from entrypoints.wire.import_body import ImportFileReader

TYPE_NAMES = {
    EntityType.SINGLE_PROCESS_REPORT: "process report",
    EntityType.SINGLE_DECISION_REPORT: "decision report",
    EntityType.COMBINED_REPORT: "combined report",
    EntityType.DASHBOARD: "dashboard",
}
OUTSIDE_COLLECTIONS = "/outside-collections"


def collection_path(collection_id: str | None) -> str:
    return OUTSIDE_COLLECTIONS if collection_id is None else f"/collections/{quote(collection_id)}"


@dataclass(frozen=True, slots=True)
class PreviewRow:
    type: str
    name: str
    source_id: str
    action: str
    new_id: str | None


class SignInPages(Controller):
    """The pages anyone may open: the sign-in form and its answer."""

    path = "/"
    include_in_schema = False

    @get("/sign-in", sync_to_thread=False)
    def sign_in_form(self, expired: FromQuery[bool] = False) -> Template:
        return Template("sign_in.html", context={"expired": expired})

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
            await verifier.verify(token if isinstance(token, str) and token else None)
        except NotAuthorized as refused:
            return Template("sign_in.html", context={"problem": refused.detail}, status_code=401)
        web_sessions.close(request.cookies.get(SESSION_COOKIE))
        session_id = web_sessions.open()
        return Redirect(
            "/",
            status_code=HTTP_303_SEE_OTHER,
            cookies=[
                _session_cookie(request, session_id, int(web_sessions.lifetime.total_seconds()))
            ],
        )


def _session_cookie(request: Request[Any, Any, Any], value: str, max_age: int) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


class SignedInPages(Controller):
    """Everything else; the router's guard lets only a signed-in session through."""

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
            cookies=[_session_cookie(request, "", 0)],
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
            },
        )

    @post("/export")
    async def export(
        self, request: Request[Any, Any, Any], export_responses: NamedDependency[ExportResponses]
    ) -> Response[Any] | Template:
        """The file the API answers for the ticked entities, in the chosen release's format,
        byte for byte, as a download; what the API refuses is shown in its words."""
        form = await request.form()
        release = form.get("release")
        try:
            target = ExportTarget.named(
                release if isinstance(release, str) else None,
                allow_loss=form.get("allow_loss") == "true",
            )
            if form.get("kind") == "reports":
                answer = await export_responses.reports(_strings(form.getall("report")), target)
                name = "boardport-reports.json"
            else:
                dashboards = _strings(form.getall("dashboard"))
                answer = await export_responses.dashboards(dashboards, target)
                name = "boardport-dashboards.json"
        except DomainError as refused:
            body = body_for(refused)
            return Template(
                "message.html",
                context={
                    "heading": "The export was refused",
                    "text": f"{body.error_code}: {body.detailed_message}",
                },
                status_code=body.status,
            )
        answer.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return answer

    @get("/collections/{collection_id:str}/import", sync_to_thread=True)
    def import_form(
        self, collection_id: FromPath[str], get_collection: NamedDependency[GetCollection]
    ) -> Template:
        return Template("import.html", context={"collection": get_collection(collection_id)})

    @post("/collections/{collection_id:str}/import")
    async def import_preview(
        self,
        *,
        request: Request[Any, Any, Any],
        collection_id: FromPath[str],
        get_collection: NamedDependency[GetCollection],
        import_entities: NamedDependency[ImportEntities],
        read_import_file: NamedDependency[ImportFileReader],
        pending_imports: NamedDependency[PendingImports],
    ) -> Template:
        """The dry run of an uploaded file. The file stays on the server for the confirm step."""
        collection = get_collection(collection_id)
        form = await request.form()
        upload = form.get("file")
        content = await upload.read() if isinstance(upload, UploadFile) else b""
        file_name = upload.filename if isinstance(upload, UploadFile) else ""
        overwrite = form.get("overwrite") == "true"
        context: dict[str, Any] = {"collection": collection, "file_name": file_name}
        try:
            items = import_entities(
                collection_id,
                lambda: read_import_file(content),
                dry_run=True,
                overwrite=overwrite,
            )
        except DomainError as rejected:
            return _import_problem(context, rejected)
        session = request.cookies.get(SESSION_COOKIE, "")
        key = pending_imports.keep(session, collection_id, file_name, content, overwrite=overwrite)
        context |= {
            "rows": _preview_rows(items, read_import_file(content)),
            "pending_key": key,
            "pending_minutes": int(pending_imports.lifetime.total_seconds() // 60),
        }
        return Template("import_preview.html", context=context)

    @post("/imports/{pending_key:str}/confirm", sync_to_thread=True)
    def import_confirm(
        self,
        *,
        request: Request[Any, Any, Any],
        pending_key: FromPath[str],
        get_collection: NamedDependency[GetCollection],
        import_entities: NamedDependency[ImportEntities],
        read_import_file: NamedDependency[ImportFileReader],
        pending_imports: NamedDependency[PendingImports],
    ) -> Template:
        pending = pending_imports.take(pending_key, request.cookies.get(SESSION_COOKIE, ""))
        if pending is None:
            return Template(
                "message.html",
                context={
                    "heading": "This import is no longer waiting",
                    "text": "The file was kept for a limited time, or was imported already. "
                    "Upload it again to see its dry run.",
                },
                status_code=410,
            )
        collection = get_collection(pending.collection_id)
        context: dict[str, Any] = {"collection": collection, "file_name": pending.file_name}
        try:
            items = import_entities(
                pending.collection_id,
                lambda: read_import_file(pending.content),
                overwrite=pending.overwrite,
            )
        except DomainError as rejected:
            return _import_problem(context, rejected)
        rows = _preview_rows(items, read_import_file(pending.content))
        return Template("import_preview.html", context=context | {"rows": rows, "imported": True})

    @get("/reports/{report_id:str}/delete", sync_to_thread=True)
    def report_delete_form(
        self,
        report_id: FromPath[str],
        preview_report_deletion: NamedDependency[PreviewReportDeletion],
    ) -> Template:
        impact = preview_report_deletion(report_id)
        return Template(
            "delete.html",
            context={
                "kind": "report",
                "entity_id": report_id,
                "name": impact.report.name,
                "dashboards": impact.dashboards,
                "combined": impact.combined_reports,
                "refusal": impact.refusal,
                "back": collection_path(impact.report.collection_id),
            },
        )

    @post("/reports/{report_id:str}/delete", sync_to_thread=True)
    def report_delete(
        self,
        report_id: FromPath[str],
        preview_report_deletion: NamedDependency[PreviewReportDeletion],
        delete_report: NamedDependency[DeleteReport],
    ) -> Response[Any]:
        back = collection_path(preview_report_deletion(report_id).report.collection_id)
        delete_report(report_id)
        return Redirect(back, status_code=HTTP_303_SEE_OTHER)

    @get("/dashboards/{dashboard_id:str}/delete", sync_to_thread=True)
    def dashboard_delete_form(
        self, dashboard_id: FromPath[str], show_dashboard: NamedDependency[ShowDashboard]
    ) -> Template:
        dashboard = show_dashboard(dashboard_id).dashboard
        return Template(
            "delete.html",
            context={
                "kind": "dashboard",
                "entity_id": dashboard_id,
                "name": dashboard.name,
                "tiles": len(dashboard.tiles),
                "back": collection_path(dashboard.collection_id),
            },
        )

    @post("/dashboards/{dashboard_id:str}/delete", sync_to_thread=True)
    def dashboard_delete(
        self,
        dashboard_id: FromPath[str],
        show_dashboard: NamedDependency[ShowDashboard],
        delete_dashboard: NamedDependency[DeleteDashboard],
    ) -> Response[Any]:
        back = collection_path(show_dashboard(dashboard_id).dashboard.collection_id)
        delete_dashboard(dashboard_id)
        return Redirect(back, status_code=HTTP_303_SEE_OTHER)


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


_ACTIONS = {
    "created": "will be created",
    "updated": "will be updated in place",
    "unchanged": "unchanged: nothing to write",
}


def _preview_rows(items: tuple[ImportedItem, ...], document: Any) -> list[PreviewRow]:
    """Each entity of the import with its type and name as the file gives them, and what the
    import does with it (with overwrite: created, updated or unchanged)."""
    entries = {e.entity.id: e for e in read_export_file(document)}
    rows = []
    for item in items:
        entry = entries.get(item.source_id)
        rows.append(
            PreviewRow(
                type=TYPE_NAMES[entry.entity_type] if entry else item.entity_type,
                name=entry.entity.name if entry else "",
                source_id=item.source_id,
                action=_ACTIONS[item.action or "created"],
                new_id=item.id,
            )
        )
    return rows


def _import_problem(context: dict[str, Any], rejected: DomainError) -> Template:
    """The refusal in the API's own words: errorCode, message, the detail naming entity and
    field, and the contract's extra fields."""
    body = body_for(rejected)
    extra = [(name, _shown(value)) for name, value in body.extra.items()]
    return Template(
        "import_preview.html",
        context=context | {"error": body, "error_extra": extra},
        status_code=body.status,
    )


def _shown(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
