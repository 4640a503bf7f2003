from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Response, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body

from entrypoints.http.export_responses import ExportResponses
from entrypoints.http.responses import api_error_specs
from entrypoints.http.schemas import ExportEntity

IdList = Annotated[
    list[str] | str | None,
    Body(
        title="IDs",
        description="A JSON array of IDs; duplicates collapse. A bare string is one ID; "
        "an empty body or [] exports nothing.",
    ),
]

_ERRORS = api_error_specs(
    {
        400: "The body is not an array of ID strings, holds more IDs than "
        "BOARDPORT_MAX_EXPORT_IDS, or an ID longer than BOARDPORT_MAX_ID_LENGTH.",
        404: "At least one ID is unknown; the message lists only the missing ones.",
        500: "A stored reference is broken, or the server failed.",
    },
    with_body=True,
)


def _export_responses(description: str) -> dict[int, ResponseSpec]:
    documented = ResponseSpec(
        data_container=list[ExportEntity], description=description, generate_examples=False
    )
    return {200: documented} | _ERRORS


class ExportController(Controller):
    path = "/api/public/export"
    tags = ("Export",)

    @post(
        "/dashboard/definition/json",
        operation_id="exportDashboardDefinitions",
        summary="Export dashboards with every report they contain",
        status_code=200,
        responses=_export_responses("Reports first, then the dashboards in request order."),
    )
    async def dashboards(
        self, export_responses: NamedDependency[ExportResponses], data: IdList = None
    ) -> Response[Any]:
        return await export_responses.dashboards(_ids(data))

    @post(
        "/report/definition/json",
        operation_id="exportReportDefinitions",
        summary="Export reports, each combined report with its children",
        status_code=200,
        responses=_export_responses("The reports in request order, children after their parent."),
    )
    async def reports(
        self, export_responses: NamedDependency[ExportResponses], data: IdList = None
    ) -> Response[Any]:
        return await export_responses.reports(_ids(data))


def _ids(data: list[str] | str | None) -> list[str]:
    if data is None:
        return []
    return [data] if isinstance(data, str) else data
