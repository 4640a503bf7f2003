from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Response, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, QueryParameter, SkipValidation

from application.ports.export import Export, ExportRequest, ExportTarget
from domain.export_format.releases import RELEASES
from entrypoints.asgi_shared.export_answers import send
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

TargetVersion = Annotated[
    str | None,
    QueryParameter(
        name="targetVersion",
        description="[ext] Write the export in this Optimize release's format and index "
        "versions, so that it imports there: one of " + ", ".join(RELEASES) + " (the default).",
    ),
]
AllowLoss = Annotated[
    bool,
    QueryParameter(
        name="allowLoss",
        description="[ext] With targetVersion: write what the older format can hold and list "
        "every loss in the X-Boardport-Losses header, instead of answering 400.",
    ),
]

_ERRORS = api_error_specs(
    {
        400: "The body is not an array of ID strings, holds more IDs than "
        "BOARDPORT_MAX_EXPORT_IDS, or an ID longer than BOARDPORT_MAX_ID_LENGTH; or "
        "targetVersion is unknown, or its format cannot hold everything and allowLoss is not "
        "true (the message names each entity and loss).",
        404: "At least one ID is unknown; the message lists only the missing ones.",
        500: "A stored reference is broken, or the server failed.",
    },
    with_body=True,
)


_LOSSES_NOTE = (
    " [ext] With targetVersion and allowLoss=true, the response header X-Boardport-Losses "
    'lists what the older format could not hold: JSON {"count": N, "losses": [{"entityType", '
    '"id", "field", "loss"}]}, at most 8 KB; count counts every loss.'
)


def _export_responses(description: str) -> dict[int, ResponseSpec]:
    documented = ResponseSpec(
        data_container=list[ExportEntity],
        description=description + _LOSSES_NOTE,
        generate_examples=False,
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
        self,
        export: NamedDependency[SkipValidation[Export]],  # a Protocol: not checked
        data: IdList = None,
        target_version: TargetVersion = None,
        allow_loss: AllowLoss = False,
    ) -> Response[Any]:
        target = ExportTarget.named(target_version, allow_loss=allow_loss)
        return await send(await export.answer(ExportRequest.of("dashboards", _ids(data), target)))

    @post(
        "/report/definition/json",
        operation_id="exportReportDefinitions",
        summary="Export reports, each combined report with its children",
        status_code=200,
        responses=_export_responses("The reports in request order, children after their parent."),
    )
    async def reports(
        self,
        export: NamedDependency[SkipValidation[Export]],  # a Protocol: not checked
        data: IdList = None,
        target_version: TargetVersion = None,
        allow_loss: AllowLoss = False,
    ) -> Response[Any]:
        target = ExportTarget.named(target_version, allow_loss=allow_loss)
        return await send(await export.answer(ExportRequest.of("reports", _ids(data), target)))


def _ids(data: list[str] | str | None) -> list[str]:
    if data is None:
        return []
    return [data] if isinstance(data, str) else data
