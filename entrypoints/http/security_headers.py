from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

_EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
_API_RESPONSE = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


async def add_security_headers(message: Message, scope: Scope) -> None:
    """A `before_send` hook, so it covers every response, errors and unknown paths included.
    API responses are JSON and never cached; the /schema pages keep what their viewer needs."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in _EVERY_RESPONSE.items():
        headers[name] = value
    if scope["path"].startswith("/api/"):
        for name, value in _API_RESPONSE.items():
            headers[name] = value
