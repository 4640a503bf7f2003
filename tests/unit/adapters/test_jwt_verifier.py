"""What the JWT verifier remembers of the tokens that passed: nothing that outlives them."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timedelta, tzinfo

import pytest
from jwt import api_jwt

from adapters.auth.jwks import JwksKeySet
from adapters.auth.jwt_token import JwtVerifier
from domain.errors import NotAuthorized
from tests.token_server import KeyPair, TokenServer

LATER = 300.0


class Later(datetime):
    """The library's clock, LATER seconds ahead."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> Later:
        moved = datetime.now(tz) + timedelta(seconds=LATER)
        return cls.fromtimestamp(moved.timestamp(), tz)


def test_a_remembered_token_is_refused_once_it_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    key = KeyPair.ec("k1")
    document = json.dumps({"keys": [key.public_jwk]}).encode()
    keys = JwksKeySet("https://login.example.com/jwks", fetch=lambda _u, _t: document)
    offset = [0.0]
    verifier = JwtVerifier(
        keys, audience="optimize-api", wall_clock=lambda: time.time() + offset[0]
    )
    token = key.sign(TokenServer(keys=[key]).claims(exp=int(time.time()) + 120))

    asyncio.run(verifier.verify(token))
    asyncio.run(verifier.verify(token))  # remembered
    offset[0] = LATER
    monkeypatch.setattr(api_jwt, "datetime", Later)
    with pytest.raises(NotAuthorized, match="expired"):
        asyncio.run(verifier.verify(token))
