"""The static token alone, and beside JWTs: the configured token passes without the JWT
verifier being asked; any other token is the JWT verifier's to judge."""

from __future__ import annotations

import asyncio

import pytest

from adapters.auth.either_token import StaticTokenOrJwtVerifier
from adapters.auth.static_token import INVALID_CREDENTIALS, NOT_CONFIGURED, StaticTokenVerifier
from application.ports.token_verifier import TokenVerifier
from domain.actor import Actor
from domain.errors import NotAuthorized

CONFIGURED = "a-long-enough-token-123"


class RecordingJwtVerifier(TokenVerifier):
    """Passes the one token it is given; records every token it is asked about."""

    def __init__(self, passing: str) -> None:
        self.passing = passing
        self.asked: list[str | None] = []

    async def verify(self, token: str | None) -> Actor:
        self.asked.append(token)
        if token != self.passing:
            raise NotAuthorized("The JWT's signature does not match.")
        return Actor.from_jwt("jwt-subject")


def test_the_static_verifier_accepts_the_configured_token_only() -> None:
    static = StaticTokenVerifier(CONFIGURED)
    assert static.accepts(CONFIGURED)
    assert not static.accepts(CONFIGURED + "4")
    assert not static.accepts(CONFIGURED[:-1])
    assert not StaticTokenVerifier(None).accepts(CONFIGURED)
    asyncio.run(static.verify(CONFIGURED))
    with pytest.raises(NotAuthorized, match=INVALID_CREDENTIALS):
        asyncio.run(static.verify("another-long-token-456"))
    with pytest.raises(NotAuthorized, match="No API access token is configured"):
        asyncio.run(StaticTokenVerifier(None).verify(CONFIGURED))
    assert NOT_CONFIGURED.startswith("No API access token is configured")


def test_the_static_token_passes_without_the_jwt_verifier_being_asked() -> None:
    jwt = RecordingJwtVerifier(passing="header.payload.signature")
    either = StaticTokenOrJwtVerifier(StaticTokenVerifier(CONFIGURED), jwt)
    asyncio.run(either.verify(CONFIGURED))
    assert jwt.asked == []
    asyncio.run(either.verify("header.payload.signature"))
    assert jwt.asked == ["header.payload.signature"]


def test_any_other_token_is_refused_naming_both_reasons() -> None:
    jwt = RecordingJwtVerifier(passing="header.payload.signature")
    either = StaticTokenOrJwtVerifier(StaticTokenVerifier(CONFIGURED), jwt)
    with pytest.raises(NotAuthorized) as refused:
        asyncio.run(either.verify("not-the-token-at-all"))
    assert refused.value.detail == (
        "The token is not the API access token, nor an accepted JWT: "
        "The JWT's signature does not match."
    )
    assert jwt.asked == ["not-the-token-at-all"]
