from __future__ import annotations

from collections.abc import Mapping

from litestar import MediaType, Response
from litestar.openapi.datastructures import ResponseSpec

from entrypoints.http.schemas import ErrorBody


def json_bytes(content: bytes, status_code: int = 200) -> Response[bytes]:
    """A response whose JSON was written already; Litestar sends the bytes as they are."""
    return Response(content=content, media_type=MediaType.JSON, status_code=status_code)


def error_specs(statuses: Mapping[int, str]) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the error statuses an operation can answer, all with the error body."""
    return {
        status: ResponseSpec(
            data_container=ErrorBody, description=description, generate_examples=False
        )
        for status, description in statuses.items()
    }


def success_spec(data_container: object, description: str) -> ResponseSpec:
    """The OpenAPI entry of a success answer, for a handler whose return annotation says less."""
    return ResponseSpec(
        data_container=data_container, description=description, generate_examples=False
    )
