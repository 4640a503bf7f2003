from __future__ import annotations

import hmac

from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

PUBLIC_API_PREFIX = "/api/public/"
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="boardport"'}


class BearerTokenAuth(ASGIMiddleware):
    """Every path under /api/public/ needs `Authorization: Bearer <token>`, compared in constant
    time. With no token configured, every such request is refused: never "no token means open".
    The token is never logged and never echoed."""

    def __init__(self, token: str | None) -> None:
        self._token = token.encode() if token else None

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if (
            scope["type"] == ScopeType.HTTP
            and scope["path"].startswith(PUBLIC_API_PREFIX)
            # A CORS preflight carries no credentials and answers no data.
            and scope["method"] != "OPTIONS"
        ):
            self._check(scope)
        await next_app(scope, receive, send)

    def _check(self, scope: Scope) -> None:
        if self._token is None:
            raise NotAuthorizedException(
                "No API access token is configured on this server: set "
                "BOARDPORT_API_ACCESS_TOKEN (or OPTIMIZE_API_ACCESS_TOKEN).",
                headers=_CHALLENGE,
            )
        header = _header(scope, b"authorization")
        scheme, _, credentials = header.partition(b" ")
        if scheme.lower() != b"bearer" or not credentials.strip():
            raise NotAuthorizedException(
                "Send the API access token as 'Authorization: Bearer <token>'.", headers=_CHALLENGE
            )
        if not hmac.compare_digest(credentials.strip(), self._token):
            raise NotAuthorizedException("The API access token is not valid.", headers=_CHALLENGE)


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return bytes(value)
    return b""
