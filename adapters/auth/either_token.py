from __future__ import annotations

from adapters.auth.static_token import STATIC_TOKEN_ACTOR, StaticTokenVerifier
from application.ports.token_verifier import TokenVerifier
from domain.actor import Actor
from domain.errors import NotAuthorized

MISSING_CREDENTIALS = "Send the API access token or a JWT as 'Authorization: Bearer <token>'."


class StaticTokenOrJwtVerifier(TokenVerifier):
    """The configured API access token or a JWT: either passes. The static token is compared
    first, in constant time; a refusal names both reasons, the JWT's last."""

    def __init__(self, static: StaticTokenVerifier, jwt: TokenVerifier) -> None:
        self._static = static
        self._jwt = jwt

    async def verify(self, token: str | None) -> Actor:
        if not token:
            raise NotAuthorized(MISSING_CREDENTIALS)
        if self._static.accepts(token):
            return STATIC_TOKEN_ACTOR
        try:
            return await self._jwt.verify(token)
        except NotAuthorized as refused:
            raise NotAuthorized(
                f"The token is not the API access token, nor an accepted JWT: {refused.detail}"
            ) from None
