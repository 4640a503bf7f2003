from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete
from litestar.di import NamedDependency
from litestar.params import FromPath

from application.use_cases.delete_dashboard import DeleteDashboard
from application.use_cases.delete_report import DeleteReport
from domain.actor import Actor
from entrypoints.http.responses import api_error_specs

_ERRORS = api_error_specs(
    {
        400: "The report is a management or instant-preview report, or the ID holds a NUL.",
        404: "No such entity.",
    }
)


class DeletionController(Controller):
    path = "/api/public"
    tags = ("Entities",)

    @delete(
        "/report/{report_id:str}",
        operation_id="deleteReport",
        summary="Delete a report and take it off every dashboard and combined report",
        sync_to_thread=True,
        responses=_ERRORS,
    )
    def report(
        self,
        request: Request[Actor, Any, Any],
        delete_report: NamedDependency[DeleteReport],
        report_id: FromPath[str],
    ) -> None:
        delete_report(report_id, actor=request.user)

    @delete(
        "/dashboard/{dashboard_id:str}",
        operation_id="deleteDashboard",
        summary="Delete a dashboard; its reports stay",
        sync_to_thread=True,
        responses=_ERRORS,
    )
    def dashboard(
        self,
        request: Request[Actor, Any, Any],
        delete_dashboard: NamedDependency[DeleteDashboard],
        dashboard_id: FromPath[str],
    ) -> None:
        delete_dashboard(dashboard_id, actor=request.user)
