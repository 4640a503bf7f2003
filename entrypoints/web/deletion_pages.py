"""The delete pages of a report and a dashboard: what the deletion changes, then the deletion,
which sends the browser back to the collection the entity was in."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from application.use_cases.delete_dashboard import DeleteDashboard
from application.use_cases.delete_report import DeleteReport
from application.use_cases.preview_report_deletion import PreviewReportDeletion
from application.use_cases.show_dashboard import ShowDashboard
from entrypoints.web.csrf import signed_in_actor
from entrypoints.web.pages import collection_path


class DeletionPages(Controller):
    """The router's guard lets only a signed-in session through."""

    path = "/"
    include_in_schema = False

    @get("/reports/{report_id:str}/delete", sync_to_thread=True)
    def report_delete_form(
        self,
        report_id: FromPath[str],
        preview_report_deletion: NamedDependency[PreviewReportDeletion],
    ) -> Template:
        impact = preview_report_deletion(report_id)
        return _delete_form(
            "report",
            report_id,
            impact.report.name,
            impact.report.collection_id,
            dashboards=impact.dashboards,
            combined=impact.combined_reports,
            refusal=impact.refusal,
        )

    @post("/reports/{report_id:str}/delete", sync_to_thread=True)
    def report_delete(
        self,
        request: Request[Any, Any, Any],
        report_id: FromPath[str],
        preview_report_deletion: NamedDependency[PreviewReportDeletion],
        delete_report: NamedDependency[DeleteReport],
    ) -> Response[Any]:
        collection_id = preview_report_deletion(report_id).report.collection_id
        actor = signed_in_actor(request.scope)
        return _delete_and_go_back(partial(delete_report, actor=actor), report_id, collection_id)

    @get("/dashboards/{dashboard_id:str}/delete", sync_to_thread=True)
    def dashboard_delete_form(
        self, dashboard_id: FromPath[str], show_dashboard: NamedDependency[ShowDashboard]
    ) -> Template:
        dashboard = show_dashboard(dashboard_id).dashboard
        return _delete_form(
            "dashboard",
            dashboard_id,
            dashboard.name,
            dashboard.collection_id,
            tiles=len(dashboard.tiles),
        )

    @post("/dashboards/{dashboard_id:str}/delete", sync_to_thread=True)
    def dashboard_delete(
        self,
        request: Request[Any, Any, Any],
        dashboard_id: FromPath[str],
        show_dashboard: NamedDependency[ShowDashboard],
        delete_dashboard: NamedDependency[DeleteDashboard],
    ) -> Response[Any]:
        collection_id = show_dashboard(dashboard_id).dashboard.collection_id
        actor = signed_in_actor(request.scope)
        return _delete_and_go_back(
            partial(delete_dashboard, actor=actor), dashboard_id, collection_id
        )


def _delete_form(
    kind: str, entity_id: str, name: str, collection_id: str | None, **impact: object
) -> Template:
    context = {"kind": kind, "entity_id": entity_id, "name": name, **impact}
    return Template("delete.html", context=context | {"back": collection_path(collection_id)})


def _delete_and_go_back(
    delete: Callable[[str], None], entity_id: str, collection_id: str | None
) -> Response[Any]:
    """Deletes the entity, then sends the browser to the collection it was in."""
    delete(entity_id)
    return Redirect(collection_path(collection_id), status_code=HTTP_303_SEE_OTHER)
