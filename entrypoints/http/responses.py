from __future__ import annotations

from collections.abc import Mapping

from litestar import MediaType, Response
from litestar.openapi.datastructures import ResponseSpec

from entrypoints.http.schemas import ErrorBody

UNAUTHORIZED: Mapping[int, str] = {
    400: "The request is malformed: a NUL character in its path or query, for one.",
    401: "The bearer token is missing or wrong, or none is configured.",
}
BODY_REFUSED: Mapping[int, str] = {
    400: "The body is not strict JSON (UTF-8, no key twice, no NUL character, not too deep) "
    "of the documented shape.",
    413: "The body is larger than BOARDPORT_MAX_BODY_BYTES.",
    415: "The body is not sent as JSON.",
}
SERVER_FAILED: Mapping[int, str] = {
    500: "The server failed; the log has the detail, the body does not.",
    503: "The database failed or is unreachable; nothing was changed. Retry.",
}


def json_bytes(
    content: bytes, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response[bytes]:
    """A response whose JSON was written already; Litestar sends the bytes as they are."""
    return Response(
        content=content, media_type=MediaType.JSON, status_code=status_code, headers=headers
    )


def error_specs(statuses: Mapping[int, str]) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the error statuses an operation can answer, all with the error body."""
    return {
        status: ResponseSpec(
            data_container=ErrorBody, description=description, generate_examples=False
        )
        for status, description in sorted(statuses.items())
    }


def api_error_specs(
    statuses: Mapping[int, str] | None = None, *, with_body: bool = False
) -> dict[int, ResponseSpec]:
    """The error statuses of an operation under /api/public: its own, 400, 401, 500 and 503, and
    for an operation that reads a body, 413 and 415. An operation's own description wins."""
    common = {**UNAUTHORIZED, **SERVER_FAILED, **(BODY_REFUSED if with_body else {})}
    return error_specs({**common, **(statuses or {})})


def success_spec(data_container: object, description: str) -> ResponseSpec:
    """The OpenAPI entry of a success answer, for a handler whose return annotation says less."""
    return ResponseSpec(
        data_container=data_container, description=description, generate_examples=False
    )
