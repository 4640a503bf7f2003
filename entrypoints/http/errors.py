"""Every error leaves the HTTP API as the contract's JSON error body; nothing else does."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap

from application.errors import StorageError, StorageUnavailable
from domain.errors import DomainError
from entrypoints.error_table import (
    SERVER_ERROR,
    ErrorAnswer,
    body_for,
    body_of,
    kind_for_status,
    kind_of,
    storage_body,
)

log = logging.getLogger(__name__)


def error_response(body: ErrorAnswer, headers: Mapping[str, str] | None = None) -> Response[object]:
    return Response(content=body.to_json(), status_code=body.status, headers=dict(headers or {}))


def _domain_error(request: Request[Any, Any, Any], error: DomainError) -> Response[object]:
    body = body_for(error)
    if body.status >= HTTP_500_INTERNAL_SERVER_ERROR:
        log.error("%s %s failed: %s", request.method, request.url.path, error.detail)
    return error_response(body, headers=kind_of(error).headers)


def _http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[object]:
    if error.status_code >= HTTP_500_INTERNAL_SERVER_ERROR:
        return _unexpected(request, error)
    kind = kind_for_status(error.status_code)
    return error_response(body_of(kind, _detail_of(error)), headers=error.headers)


def _detail_of(error: HTTPException) -> str:
    detail = error.detail
    if isinstance(error, ValidationException) and isinstance(error.extra, list):
        reasons = [str(item.get("message")) for item in error.extra if isinstance(item, dict)]
        if reasons:
            detail = f"{detail}: {'; '.join(reasons)}"
    return detail


def _storage_failed(request: Request[Any, Any, Any], error: StorageError) -> Response[object]:
    # Nothing was committed: a unit of work commits only after its last write.
    body = storage_body(error)
    if body.status >= HTTP_500_INTERNAL_SERVER_ERROR:
        log.error("%s %s: the database failed: %s", request.method, request.url.path, error)
    else:
        log.warning(
            "%s %s: the database refused a value: %s", request.method, request.url.path, error
        )
    headers = {"Retry-After": "1"} if isinstance(error, StorageUnavailable) else None
    return error_response(body, headers=headers)


def _unexpected(request: Request[Any, Any, Any], error: Exception) -> Response[object]:
    log.error("%s %s failed unexpectedly", request.method, request.url.path, exc_info=error)
    return error_response(body_of(SERVER_ERROR, "The server could not complete the request."))


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    DomainError: _domain_error,
    HTTPException: _http_error,
    StorageError: _storage_failed,
    Exception: _unexpected,
}
