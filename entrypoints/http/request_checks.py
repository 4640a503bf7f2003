"""Checks every request before a handler sees it: no NUL character in its path or query, and a
body that is JSON by content type and by content."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_415_UNSUPPORTED_MEDIA_TYPE

from domain.errors import BadRequest
from entrypoints.wire.json_input import JsonRejected, decode_strict, iter_strings

RAW_BODY = "raw_body"
"""Handler option: the handler reads its body itself (the import file has its own error codes)."""

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_NUL = "\x00"
_NUL_REFUSED = "holds a NUL character (U+0000), which no ID, key or name may contain"


class UnsupportedMediaType(HTTPException):
    status_code = HTTP_415_UNSUPPORTED_MEDIA_TYPE


def is_json_media_type(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type in {"", "application/json", "text/json"} or media_type.endswith("+json")


def json_body_check(max_depth: int) -> Callable[[Request[Any, Any, Any]], Awaitable[None]]:
    """A `before_request` hook. Path and query parameters may not hold a NUL character (PostgreSQL
    cannot store or compare one). A body must be declared as JSON (or not declared) and be strict
    JSON: UTF-8, no key twice in one object, no NaN, nesting at most `max_depth` deep; outside
    the import file (which has its own reader and error codes) no string in it may hold NUL."""

    async def check(request: Request[Any, Any, Any]) -> None:
        _check_parameters(request)
        if request.method not in _BODY_METHODS:
            return
        content_type = request.headers.get("content-type", "")
        if not is_json_media_type(content_type):
            raise UnsupportedMediaType(
                f"The body is sent as {content_type.split(';', 1)[0]!r}; "
                "send it as 'Content-Type: application/json'."
            )
        handler = request.route_handler
        if handler.opt.get(RAW_BODY):
            return
        body = await request.body()
        if not body.strip():
            return
        parses_body = "data" in handler.parsed_fn_signature.parameters
        if parses_body and _plainly_strict(body, max_depth):
            return  # msgspec, parsing `data` next, refuses bad numbers and literals itself
        try:
            value = decode_strict(body, max_depth=max_depth)
        except JsonRejected as rejected:
            raise BadRequest(f"The request body {rejected}.") from None
        if any(_NUL in text for text in iter_strings(value)):
            raise BadRequest(f"The request body {_NUL_REFUSED}.")

    return check


def _plainly_strict(body: bytes, max_depth: int) -> bool:
    """True for a body that cannot hold anything the strict reader refuses: ASCII (so UTF-8),
    no object (so no key twice), no escape (so no NUL and no lone surrogate), no deeper than
    allowed. An array of plain IDs, every export request, then goes to the handler without a
    second parse (docs/performance.md names the benchmark that wants it)."""
    return (
        body.isascii()
        and b"{" not in body
        and b"\\" not in body
        and b"\x00" not in body
        and body.count(b"[") <= max_depth
    )


def _check_parameters(request: Request[Any, Any, Any]) -> None:
    for name, value in request.path_params.items():
        if isinstance(value, str) and _NUL in value:
            raise BadRequest(f"The path parameter '{name}' {_NUL_REFUSED}.")
    for name, value in request.query_params.multi_items():
        if _NUL in name or _NUL in value:
            shown = name.replace(_NUL, "\\u0000")
            raise BadRequest(f"The query parameter '{shown}' {_NUL_REFUSED}.")
