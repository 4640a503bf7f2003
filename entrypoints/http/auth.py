from __future__ import annotations

from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from application.ports.token_verifier import TokenVerifier
from domain.errors import NotAuthorized
from entrypoints.http.raw_headers import first_header

PUBLIC_API_PREFIX = "/api/public/"
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="boardport"'}


class BearerTokenAuth(ASGIMiddleware):
    """Every path under /api/public/ needs `Authorization: Bearer <token>`, which the
    configured `TokenVerifier` accepts or refuses. Who the token is (an `Actor`) goes into the
    scope as its `user`, for what records or keys writes by caller. The token is never logged
    and never echoed."""

    def __init__(self, verifier: TokenVerifier) -> None:
        self._verifier = verifier

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if (
            scope["type"] == ScopeType.HTTP
            and scope["path"].startswith(PUBLIC_API_PREFIX)
            # A CORS preflight carries no credentials and answers no data.
            and scope["method"] != "OPTIONS"
        ):
            try:
                scope["user"] = await self._verifier.verify(bearer_token(scope))
            except NotAuthorized as refused:
                raise NotAuthorizedException(refused.detail, headers=_CHALLENGE) from None
        await next_app(scope, receive, send)


def bearer_token(scope: Scope) -> str | None:
    """The credentials of an `Authorization: Bearer` header; None without one."""
    header = first_header(scope["headers"], b"authorization")
    scheme, _, credentials = header.partition(b" ")
    token = credentials.strip()
    if scheme.lower() != b"bearer" or not token:
        return None
    # Bytes that are not UTF-8 survive as surrogates, so a verifier compares what was sent.
    return token.decode("utf-8", "surrogateescape")
