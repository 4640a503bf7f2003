"""What a refusal looks like on every path that is not the API's: a page in the site's frame
(its header, the signed-in visitor's navigation), in words, never the API's JSON. The API keeps
its JSON error bodies; `entrypoints/asgi.py` sends each error to one or the other by path."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    PermissionDeniedException,
    TooManyRequestsException,
)
from litestar.response import Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from application.errors import StorageError, StorageUnavailable
from domain.errors import DomainError
from entrypoints.asgi_shared.security_headers import WEB_PAGE_STATE
from entrypoints.error_table import body_for, kind_of, storage_body
from entrypoints.web.sessions import SESSION_COOKIE

log = logging.getLogger(__name__)

SIGNED_IN_STATE = "signed_in"
"""Key in the scope's state: whether the page's header shows the signed-in navigation."""
SESSIONS_STATE = "boardport_web_sessions"
"""Key in the app's state: the pages' `SignInSessions`, which an error page asks who is in."""
MEBIBYTE = 1024 * 1024
API_SEGMENTS = frozenset({"api", "schema"})
"""First segments of the paths whose errors are the API's JSON; every other path answers with
a page."""


def is_api_path(path: str) -> bool:
    """Whether the path is the API's, however it is spelled (`//api`, `/./API/`): a client of
    the API gets JSON for a path it mistyped too."""
    segments = [s for s in path.lower().split("/") if s not in {"", "."}]
    return bool(segments) and segments[0].split(";", 1)[0] in API_SEGMENTS


def error_page(
    request: Request[Any, Any, Any],
    status: int,
    heading: str,
    text: str,
    *,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> Template:
    """The page, marked as a page (so the security headers do not swap its body for JSON)."""
    request.state[WEB_PAGE_STATE] = True
    if SIGNED_IN_STATE not in request.state:
        request.state[SIGNED_IN_STATE] = _signed_in(request)
    return Template(
        "message.html",
        context={"heading": heading, "text": text, "error_code": code},
        status_code=status,
        headers=headers or {},
    )


def _signed_in(request: Request[Any, Any, Any]) -> bool:
    """Whether the visitor holds a signed-in session, for the header's navigation: a refusal
    may come before the pages' own checks ran (an unknown path, a body too large)."""
    sessions = request.app.state.get(SESSIONS_STATE)
    if sessions is None:
        return False
    try:
        return sessions.signed_in(request.cookies.get(SESSION_COOKIE)) is not None
    except Exception:  # noqa: BLE001 - the page of a failure must not fail in turn
        return False


def domain_refusal(request: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    body = body_for(error)
    if body.status >= HTTP_500_INTERNAL_SERVER_ERROR:
        log.error("%s %s failed: %s", request.method, request.url.path, error.detail)
    heading = "Not found" if body.status == 404 else "That did not work"
    return error_page(
        request,
        body.status,
        heading,
        body.detailed_message,
        code=body.error_code,
        headers=dict(kind_of(error).headers),
    )


def http_refusal(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    if error.status_code >= HTTP_500_INTERNAL_SERVER_ERROR:
        return unexpected(request, error)
    heading, text = _words(request, error)
    return error_page(request, error.status_code, heading, text, headers=error.headers)


def _words(request: Request[Any, Any, Any], error: HTTPException) -> tuple[str, str]:
    if isinstance(error, PermissionDeniedException):
        return (
            "Form refused",
            (
                "The form was not accepted: it did not come from this site, or it is too old. "
                "Go back, reload the page and send it again."
            ),
        )
    if isinstance(error, NotFoundException):
        return "Not found", "There is no such page. The collections are listed on the first page."
    if isinstance(error, MethodNotAllowedException):
        return (
            "Not a page to open",
            "This address only takes a form sent from a page; open the page the form is on.",
        )
    if error.status_code == 413:
        limit = request.app.request_max_body_size
        limit = limit if isinstance(limit, int) else 0
        return (
            "The file is too large",
            (
                f"This server takes at most {_size(limit)} in one request "
                "(the setting BOARDPORT_MAX_BODY_BYTES). Nothing was written."
            ),
        )
    if isinstance(error, TooManyRequestsException):
        return "Too many attempts", str(error.detail)
    return "That did not work", str(error.detail)


def storage_failed(request: Request[Any, Any, Any], error: StorageError) -> Response[Any]:
    body = storage_body(error)
    log.error("%s %s: the database failed: %s", request.method, request.url.path, error)
    headers = {"Retry-After": "1"} if isinstance(error, StorageUnavailable) else None
    text = "The database did not answer. Nothing was written; try again in a moment."
    if not isinstance(error, StorageUnavailable):
        text = body.detailed_message
    return error_page(request, body.status, "That did not work", text, headers=headers)


def unexpected(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    log.error("%s %s failed unexpectedly", request.method, request.url.path, exc_info=error)
    return error_page(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "The server could not complete the request; the failure is in its log. "
        "Nothing more is said here about its cause.",
    )


def _size(count: int) -> str:
    if count >= MEBIBYTE and count % MEBIBYTE == 0:
        return f"{count // MEBIBYTE} MiB"
    return f"{count:,} bytes"


PAGE_ERRORS: dict[type[Exception], Callable[[Request[Any, Any, Any], Any], Response[Any]]] = {
    DomainError: domain_refusal,
    HTTPException: http_refusal,
    StorageError: storage_failed,
    Exception: unexpected,
}
"""Exception class to the page that answers it, for the pages' router and for every path that
is not the API's."""
