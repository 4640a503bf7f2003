"""The key set cache on its own, with a fetch function in place of HTTP: one fetch shared by
every waiting request, a hung provider bounded by the timeout while known keys keep working,
and only public signature keys kept from a JWKS document."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest

from adapters.auth.jwks import JwksKeySet, KeySetFetchFailed, SigningKeyNotFound, signing_keys_of
from tests.token_server import KeyPair

URL = "https://login.example.com/jwks"


class Provider:
    """A fetch function whose key set the test sets, that counts its calls and can hang."""

    def __init__(self, *keys: KeyPair) -> None:
        self.document: dict[str, Any] = {"keys": [key.public_jwk for key in keys]}
        self.calls = 0
        self.release = threading.Event()
        self.release.set()
        self.entered = threading.Event()

    def __call__(self, _url: str, _timeout: float) -> bytes:
        self.calls += 1
        self.entered.set()
        self.release.wait(timeout=10)
        return json.dumps(self.document).encode()


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_many_requests_for_an_unknown_kid_share_one_fetch() -> None:
    provider = Provider(KeyPair.ec("k1"))
    keys = JwksKeySet(URL, fetch=provider, clock=Clock())

    async def many() -> list[BaseException | Any]:
        return await asyncio.gather(
            *(keys.keys_for(kid) for kid in ["k1"] * 10 + ["nope"] * 10), return_exceptions=True
        )

    provider.release.clear()
    threading.Timer(0.05, provider.release.set).start()
    answers = asyncio.run(many())
    assert provider.calls == 1
    assert all(isinstance(a, tuple) and a[0].kid == "k1" for a in answers[:10])
    assert all(isinstance(a, SigningKeyNotFound) for a in answers[10:])


def test_a_hung_provider_is_bounded_by_the_timeout_and_known_keys_keep_working() -> None:
    clock = Clock()
    provider = Provider(KeyPair.ec("k1"))
    keys = JwksKeySet(URL, fetch=provider, clock=clock, timeout=0.2)
    assert asyncio.run(keys.keys_for("k1"))[0].kid == "k1"

    provider.release.clear()  # the provider accepts the next request and never answers
    provider.entered.clear()
    clock.now += 60
    try:
        with pytest.raises(SigningKeyNotFound, match=r"did not answer within 0\.2 s"):
            asyncio.run(keys.keys_for("k2"))
        assert provider.entered.is_set()
        # The fetch still hangs in its thread; the known key is answered from the cache.
        assert asyncio.run(keys.keys_for("k1"))[0].kid == "k1"
        assert provider.calls == 2
    finally:
        provider.release.set()


def test_a_provider_that_answers_junk_is_reported_and_asked_again_only_after_30_s() -> None:
    clock = Clock()
    provider = Provider()
    provider.document = {"not": "a key set"}
    keys = JwksKeySet(URL, fetch=provider, clock=clock)
    with pytest.raises(SigningKeyNotFound, match=r"could not be fetched .* 'keys' list"):
        asyncio.run(keys.keys_for("k1"))
    provider.document = {"keys": [KeyPair.ec("k1").public_jwk]}
    clock.now += 29.9
    with pytest.raises(SigningKeyNotFound, match="could not be fetched"):
        asyncio.run(keys.keys_for("k1"))
    assert provider.calls == 1
    clock.now += 0.1
    assert asyncio.run(keys.keys_for("k1"))[0].kid == "k1"
    assert provider.calls == 2


def test_only_public_signature_keys_of_accepted_algorithms_are_kept() -> None:
    rsa = KeyPair.rsa("rsa").public_jwk
    document = {
        "keys": [
            rsa,
            {**rsa, "kid": "encryption", "use": "enc"},
            {**rsa, "kid": "hmac-named", "alg": "HS256"},
            {"kty": "oct", "kid": "secret", "k": "c2VjcmV0"},
            {**KeyPair.ec("p521").public_jwk, "crv": "P-521", "kid": "p521"},
            {**rsa, "kid": "ps512", "alg": "PS512"},
            "not a key",
            {"kty": "RSA", "kid": "broken", "n": "!!", "e": "AQAB"},
            KeyPair.ed25519("ed").public_jwk,
        ]
    }
    keys = signing_keys_of(json.dumps(document).encode())
    assert [(k.kid, sorted(k.algorithms)) for k in keys] == [
        ("rsa", ["RS256"]),
        ("ed", ["EdDSA"]),
    ]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html>", "not JSON"),
        (b"[]", "'keys' list"),
        (b'{"keys": []}', "no public signature key"),
        (b'{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}', "no public signature key"),
    ],
)
def test_a_key_set_without_usable_keys_says_why(body: bytes, reason: str) -> None:
    with pytest.raises(KeySetFetchFailed, match=reason):
        signing_keys_of(body)
