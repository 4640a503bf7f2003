from __future__ import annotations

from http import HTTPStatus

import msgspec
from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from entrypoints.error_table import body_of, kind_for_status
from entrypoints.release import release_version

_EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
_API_RESPONSE = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    # How a client tells a boardport from an Optimize on any answer under /api/, through a
    # gateway that routes nothing else.
    "X-Boardport-Version": release_version(),
}
_PAGE_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PAGE_POLICY_STATE = "boardport_page_policy"
"""Key in the scope's state: a page's own Content-Security-Policy (one that allows its inline
blocks by hash); without it, a page gets `_PAGE_POLICY`, which allows only 'self'."""
WEB_PAGE_STATE = "boardport_web_page"
"""Key in the scope's state: set by the web pages, whose refusals are HTML pages of their own."""
_EVERY_RESPONSE_RAW = [(k.lower().encode(), v.encode()) for k, v in _EVERY_RESPONSE.items()]
_API_RESPONSE_RAW = [(k.lower().encode(), v.encode()) for k, v in _API_RESPONSE.items()]
_NO_STORE = (b"cache-control", b"no-store")
_REPLACEMENT_BODY = "boardport_error_body"
"""Key in the scope's state: the JSON error body that replaces a non-JSON error's body."""
_FIRST_ERROR_STATUS = 400


async def add_security_headers(message: Message, scope: Scope) -> None:
    """A `before_send` hook, so it covers every response, errors and unknown paths included.
    API responses are JSON and never cached; pages allow only what comes from the service itself.

    An error that Litestar answers outside the exception handlers (the CORS middleware refusing
    a preflight, for one) would leave as text: it leaves as the contract's JSON error body."""
    if message["type"] == "http.response.body":
        state = scope.get("state", {})
        if _REPLACEMENT_BODY in state:
            # The whole replacement goes with the first part; any later parts are emptied.
            message["body"] = state[_REPLACEMENT_BODY]
            state[_REPLACEMENT_BODY] = b""
        return
    if message["type"] != "http.response.start":
        return
    headers: list[tuple[bytes, bytes]] = [*message.get("headers", ()), *_EVERY_RESPONSE_RAW]
    headers.extend(
        _API_RESPONSE_RAW if scope["path"].startswith("/api/") else _page(scope, headers)
    )
    message["headers"] = headers
    if int(message["status"]) < _FIRST_ERROR_STATUS:
        return
    content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
    if _is_json(content_type.decode("latin-1")):
        return
    if scope.get("state", {}).get(WEB_PAGE_STATE) and _is_html(content_type.decode("latin-1")):
        return  # a web page's own error page
    detail = _detail(int(message["status"]), scope)
    body = msgspec.json.encode(body_of(kind_for_status(int(message["status"])), detail).to_json())
    replaced = MutableScopeHeaders.from_message(message)
    replaced["Content-Type"] = "application/json"
    if scope.get("method") == "HEAD":
        return
    replaced["Content-Length"] = str(len(body))
    scope.setdefault("state", {})[_REPLACEMENT_BODY] = body


def _page(scope: Scope, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """A page's policy; and, unless it says its own caching (static files do), no-store: a
    page or a download may show what only a signed-in visitor may see, so none is kept, and
    Back after signing out asks the server again."""
    policy = scope.get("state", {}).get(PAGE_POLICY_STATE, _PAGE_POLICY)
    added = [(b"content-security-policy", policy.encode())]
    if not any(k.lower() == b"cache-control" for k, _ in headers):
        added.append(_NO_STORE)
    return added


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def _is_html(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "text/html"


def _detail(status: int, scope: Scope) -> str:
    if scope.get("method") == "OPTIONS" and any(
        k.lower() == b"origin" for k, _ in scope["headers"]
    ):
        return "This cross-origin request is not allowed (origin, method or headers)."
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "The request failed."
