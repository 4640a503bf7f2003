from __future__ import annotations

import hmac

from application.ports.token_verifier import TokenVerifier
from domain.actor import Actor
from domain.errors import NotAuthorized

NOT_CONFIGURED = (
    "No API access token is configured on this server: set BOARDPORT_API_ACCESS_TOKEN "
    "(or OPTIMIZE_API_ACCESS_TOKEN), or a JWT key set with BOARDPORT_JWT_JWKS_URL and "
    "BOARDPORT_JWT_AUDIENCE."
)
MISSING_CREDENTIALS = "Send the API access token as 'Authorization: Bearer <token>'."
INVALID_CREDENTIALS = "The API access token is not valid."
STATIC_TOKEN_ACTOR = Actor.static_token()


class StaticTokenVerifier(TokenVerifier):
    """One configured secret, compared in constant time. With none configured every token is
    refused: never "no token means open"."""

    def __init__(self, token: str | None) -> None:
        self._token = token.encode() if token else None

    def accepts(self, token: str) -> bool:
        """Whether the token is the configured one: for a verifier that tries others next,
        without a refusal raised and caught on each of their requests."""
        return self._token is not None and hmac.compare_digest(
            token.encode("utf-8", "surrogateescape"), self._token
        )

    async def verify(self, token: str | None) -> Actor:
        if self._token is None:
            raise NotAuthorized(NOT_CONFIGURED)
        if not token:
            raise NotAuthorized(MISSING_CREDENTIALS)
        if not self.accepts(token):
            raise NotAuthorized(INVALID_CREDENTIALS)
        return STATIC_TOKEN_ACTOR
