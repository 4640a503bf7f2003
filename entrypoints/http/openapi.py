"""OpenAPI details Litestar cannot infer: request bodies of handlers that read raw bytes."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.spec import OpenAPIMediaType, Operation, Reference, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType

EXPORT_ENTITY_SCHEMAS = (
    "SingleProcessReportExport",
    "SingleDecisionReportExport",
    "CombinedReportExport",
    "DashboardExport",
)


def export_file_schema() -> Schema:
    """An export file: an array of export entities, or a single one."""
    entity = Schema(one_of=[Reference(f"#/components/schemas/{n}") for n in EXPORT_ENTITY_SCHEMAS])
    return Schema(one_of=[Schema(type=OpenAPIType.ARRAY, items=entity), entity])


def operation_with_body(schema: Schema, description: str) -> type[Operation]:
    """An Operation class that documents a JSON request body the handler reads itself."""

    @dataclass
    class OperationWithBody(Operation):
        def __post_init__(self) -> None:
            self.request_body = RequestBody(
                content={"application/json": OpenAPIMediaType(schema=schema)},
                description=description,
                required=True,
            )

    return OperationWithBody
