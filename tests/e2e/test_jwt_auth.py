"""JWT bearer tokens (issue 9), end to end through the app with a real token server on loopback:
every forged token refused on every public path with the contract's 401 and a reason; every
accepted algorithm accepted; key rotation followed with a bounded number of fetches; a provider
that is down at start, or goes down; the static token beside JWTs. The key set's clock is a fake
one, so "30 s later" costs nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from dependency_injector import providers
from litestar import Litestar
from litestar.testing import TestClient

from adapters.auth.jwks import JwksKeySet
from entrypoints.asgi import create_app
from entrypoints.container import Container, build_container
from entrypoints.demo.loader import demo_seed
from entrypoints.settings import Settings
from tests.conftest import AUTH, TOKEN
from tests.databases import fresh_sqlite
from tests.e2e.test_security import capturing_every_log
from tests.system.servers import free_port
from tests.token_server import KeyPair, TokenServer

Client = TestClient[Litestar]
EXPORT_DASHBOARDS = "/api/public/export/dashboard/definition/json"
COLLECTION = "7d1c0a52-6f4e-4b8e-9a51-3c2f1e0b9d11"
NOT_AUTHORIZED_MESSAGE = "The request is not authorized."


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def token_server() -> Iterator[TokenServer]:
    with TokenServer() as server:
        yield server


@pytest.fixture
def clock() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
def make_app(
    sqlite_template: Path, tmp_path: Path, clock: FakeMonotonic
) -> Iterator[Callable[..., tuple[Client, Container]]]:
    """An app over a fresh SQLite database with the demo data, trusting the key set at
    `jwks_url`, whose clock is the test's."""
    database_url = fresh_sqlite(sqlite_template, tmp_path)
    with ExitStack() as stack:

        def make(jwks_url: str, **overrides: Any) -> tuple[Client, Container]:
            settings = Settings(
                **{
                    "database_url": database_url,
                    "api_access_token": None,
                    "jwt_jwks_url": jwks_url,
                    "jwt_audience": "optimize-api",
                    **overrides,
                }
            )
            container = build_container(settings)
            container.jwt_key_set.override(
                providers.Singleton(JwksKeySet, jwks_url, clock=clock, timeout=5.0)
            )
            stack.callback(container.engine().dispose)
            client: Client = stack.enter_context(
                TestClient(create_app(container), raise_server_exceptions=False)
            )
            container.load_seed()(demo_seed())
            return client, container

        yield make


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def export(client: Client, token: str) -> httpx.Response:
    return client.post(EXPORT_DASHBOARDS, content=b'["123"]', headers=bearer(token))


def assert_refused(response: httpx.Response, reason: str, token: str) -> None:
    assert response.status_code == 401, response.text
    body = response.json()
    assert set(body) == {"errorCode", "errorMessage", "detailedMessage"}, body
    assert body["errorCode"] == "notAuthorizedError"
    assert body["errorMessage"] == NOT_AUTHORIZED_MESSAGE
    assert reason in body["detailedMessage"], body["detailedMessage"]
    assert response.headers["www-authenticate"].startswith("Bearer")
    for part in {token, *token.split(".")} - {""}:
        if len(part) > 8:
            assert part not in response.text


def public_operations(client: Client) -> list[tuple[str, str]]:
    """Every operation under /api/public/, from the app's own OpenAPI document, with its path
    parameters filled in."""
    document = client.get("/schema/openapi.json").json()
    operations = []
    for path, item in document["paths"].items():
        if not path.startswith("/api/public/"):
            continue
        concrete = path.replace("{report_id}", "123").replace("{dashboard_id}", "123")
        concrete = concrete.replace("{collection_id}", COLLECTION)
        concrete = re.sub(r"\{[a-z_]+\}", "1", concrete)  # a change, an entity, a revision
        operations += [(method.upper(), f"{concrete}?collectionId={COLLECTION}") for method in item]
    assert len(operations) >= 15
    return operations


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def handmade(header: dict[str, Any], claims: dict[str, Any], sign: Callable[[bytes], bytes]) -> str:
    """A token assembled by hand, for algorithms no library would sign with here."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{b64(sign(signing_input.encode()))}"


def forgeries(server: TokenServer) -> list[tuple[str, str, str]]:
    """(what, token, the reason the 401 must give)."""
    now = int(time.time())
    key = server.signing_key
    valid = server.issue()
    header, _, signature = valid.split(".")
    tampered_claims = server.claims(sub="admin", scope="optimize admin")
    tampered = f"{header}.{b64(json.dumps(tampered_claims).encode())}.{signature}"
    stranger = KeyPair.rsa(key.kid)  # claims the published key's kid
    rogue = KeyPair.rsa("rogue-kid")
    return [
        ("expired", server.issue(iat=now - 7200, nbf=now - 7200, exp=now - 3600), "expired"),
        ("not yet valid", server.issue(nbf=now + 3600), "not valid yet"),
        ("wrong audience", server.issue(aud="zeebe-api"), "audience"),
        ("wrong audience list", server.issue(aud=["zeebe-api", "account"]), "audience"),
        ("no audience", server.issue(aud=None), "audience"),
        ("wrong issuer", server.issue(iss="https://evil.example/realms/x"), "issuer"),
        (
            "alg none",
            handmade({"alg": "none", "typ": "JWT", "kid": key.kid}, server.claims(), lambda _: b""),
            "not signed",
        ),
        (
            "HS256 with the public key's PEM",
            handmade(
                {"alg": "HS256", "typ": "JWT", "kid": key.kid},
                server.claims(),
                lambda data: hmac.new(key.public_pem, data, hashlib.sha256).digest(),
            ),
            "HMAC",
        ),
        ("a key not in the set, under its kid", server.issue(key=stranger), "signature"),
        ("an unknown kid", server.issue(key=rogue), "not in the key set"),
        ("a tampered payload", tampered, "signature"),
        ("no exp", server.issue(exp=None), "expiry"),
        (
            "an algorithm its key does not allow",
            KeyPair(key.kid, "RS384", key.private_key).sign(server.claims()),
            "does not fit",
        ),
        ("garbage", "garbage-that-is-no-jwt", "well-formed"),
        ("garbage in three parts", "eyJhbGciOiJSUzI1NiJ9.%%%.!!!", "well-formed"),
        ("over 16 KB", server.issue(padding="x" * 17_000), "longer than 16384"),
    ]


# --- the forged-token matrix -------------------------------------------------------------------


def test_every_forged_token_is_refused_on_every_public_path_with_its_reason_and_never_echoed(
    token_server: TokenServer,
    make_app: Callable[..., tuple[Client, Container]],
    caplog: pytest.LogCaptureFixture,
    subtests: pytest.Subtests,
) -> None:
    client, _ = make_app(token_server.jwks_url, jwt_issuer=token_server.issuer)
    operations = public_operations(client)
    valid = token_server.grant()
    cases = forgeries(token_server)
    with capturing_every_log(caplog):
        with subtests.test(kind="the genuine token opens every path"):
            for method, path in operations:
                response = client.request(method, path, content=b"[]", headers=bearer(valid))
                assert response.status_code != 401, (method, path, response.text)
        for what, token, reason in cases:
            for method, path in operations:
                with subtests.test(forgery=what, method=method, path=path):
                    response = client.request(method, path, content=b"[]", headers=bearer(token))
                    assert_refused(response, reason, token)
    logged = caplog.text + "".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    for token in [valid, *(token for _, token, _ in cases)]:
        assert token not in logged
        signature = token.split(".")[-1]
        assert len(signature) < 8 or signature not in logged
    # Only the first unknown kid could fetch again; the 30 s had not passed, so none did.
    assert token_server.jwks_fetches == 1


def test_each_accepted_algorithm_is_accepted_as_its_key_says(
    make_app: Callable[..., tuple[Client, Container]], subtests: pytest.Subtests
) -> None:
    keys = [
        KeyPair.rsa("rs256"),
        KeyPair.rsa("rs384", "RS384"),
        KeyPair.rsa("rs512", "RS512"),
        KeyPair.rsa("ps256", "PS256"),
        KeyPair.rsa("rsa-without-alg", "PS256", declares=False),
        KeyPair.ec("es256"),
        KeyPair.ec("es384", "ES384"),
        KeyPair.ed25519("eddsa"),
    ]
    with TokenServer(keys=keys) as server:
        client, _ = make_app(server.jwks_url)
        for key in keys:
            with subtests.test(algorithm=key.algorithm, kid=key.kid):
                response = export(client, server.issue(key=key))
                assert response.status_code == 200, response.text
                assert [e["id"] for e in response.json()][-1] == "123"
        with subtests.test(kind="an RSA key that names no algorithm allows RS256 too"):
            unnamed = KeyPair("rsa-without-alg", "RS256", keys[4].private_key)
            assert export(client, server.issue(key=unnamed)).status_code == 200
        with subtests.test(kind="an audience list that holds ours"):
            token = server.issue(aud=["zeebe-api", "optimize-api"])
            assert export(client, token).status_code == 200
        with subtests.test(kind="a token without kid is checked against each key"):
            token = keys[5].sign(server.claims(), headers={"kid": None})
            assert export(client, token).status_code == 200
        with subtests.test(kind="within the leeway"):
            now = int(time.time())
            assert export(client, server.issue(exp=now - 30)).status_code == 200
            assert export(client, server.issue(nbf=now + 30)).status_code == 200
    assert server.jwks_fetches == 1


# --- the key set over time ---------------------------------------------------------------------


def test_keys_rotated_at_the_provider_are_followed_with_a_bounded_number_of_fetches(
    token_server: TokenServer,
    make_app: Callable[..., tuple[Client, Container]],
    clock: FakeMonotonic,
) -> None:
    client, _ = make_app(token_server.jwks_url)
    old_token = token_server.grant()
    assert export(client, old_token).status_code == 200
    assert token_server.jwks_fetches == 1
    assert export(client, token_server.grant()).status_code == 200
    assert token_server.jwks_fetches == 1, "a known key needs no fetch"

    clock.advance(45)
    token_server.rotate(KeyPair.ec("key-2"))
    new_token = token_server.grant()
    assert export(client, new_token).status_code == 200
    assert token_server.jwks_fetches == 2, "an unknown kid fetches the key set once"

    rogue = token_server.issue(key=KeyPair.rsa("rogue"))
    for _ in range(5):
        assert_refused(export(client, rogue), "not in the key set", rogue)
    assert_refused(export(client, old_token), "not in the key set", old_token)
    assert token_server.jwks_fetches == 2, "within 30 s of the last fetch, no other"
    assert export(client, new_token).status_code == 200

    clock.advance(29)
    assert_refused(export(client, rogue), "not in the key set", rogue)
    assert token_server.jwks_fetches == 2
    clock.advance(2)
    assert_refused(export(client, rogue), "not in the key set", rogue)
    assert token_server.jwks_fetches == 3, "30 s after the last fetch, one more"


def test_a_provider_down_at_start_is_reported_then_used_once_it_is_up(
    make_app: Callable[..., tuple[Client, Container]], clock: FakeMonotonic
) -> None:
    server = TokenServer(port=free_port())  # not started: nothing listens there yet
    client, _ = make_app(server.jwks_url)
    token = server.issue()
    assert_refused(export(client, token), "could not be fetched", token)
    assert "refused" in export(client, token).json()["detailedMessage"]
    with server:
        assert_refused(export(client, token), "could not be fetched", token)
        assert server.jwks_fetches == 0, "within 30 s of the failed attempt, no other"
        clock.advance(31)
        assert export(client, token).status_code == 200
        assert server.jwks_fetches == 1


def test_a_provider_that_goes_down_leaves_cached_keys_working(
    token_server: TokenServer,
    make_app: Callable[..., tuple[Client, Container]],
    clock: FakeMonotonic,
) -> None:
    client, _ = make_app(token_server.jwks_url)
    token = token_server.grant()
    assert export(client, token).status_code == 200
    token_server.down = True
    clock.advance(3600)  # the cache is stale: a refresh starts in the background, and fails
    assert export(client, token).status_code == 200
    assert export(client, token).status_code == 200
    rogue = token_server.issue(key=KeyPair.rsa("rogue"))
    response = export(client, rogue)
    assert_refused(response, "could not be fetched", rogue)
    assert "HTTP 503" in response.json()["detailedMessage"]
    token_server.down = False
    clock.advance(31)
    assert_refused(export(client, rogue), "not in the key set", rogue)
    assert export(client, token).status_code == 200


# --- the static token beside JWTs --------------------------------------------------------------


def test_the_static_token_and_jwts_both_pass_when_both_are_configured(
    token_server: TokenServer,
    make_app: Callable[..., tuple[Client, Container]],
    subtests: pytest.Subtests,
) -> None:
    client, _ = make_app(token_server.jwks_url, api_access_token=TOKEN)
    with subtests.test(kind="static"):
        assert client.post(EXPORT_DASHBOARDS, json=["123"], headers=AUTH).status_code == 200
    with subtests.test(kind="jwt"):
        assert export(client, token_server.grant()).status_code == 200
    with subtests.test(kind="neither"):
        response = export(client, TOKEN + "x")
        assert_refused(response, "not the API access token, nor an accepted JWT", TOKEN)
        assert "well-formed" in response.json()["detailedMessage"]
    with subtests.test(kind="an expired JWT says so"):
        now = int(time.time())
        expired = token_server.issue(exp=now - 3600)
        assert_refused(export(client, expired), "expired", expired)
    with subtests.test(kind="none"):
        response = client.post(EXPORT_DASHBOARDS, json=["123"])
        assert_refused(response, "Authorization: Bearer", "")


def test_with_only_jwts_configured_the_refusal_does_not_claim_nothing_is_configured(
    token_server: TokenServer, make_app: Callable[..., tuple[Client, Container]]
) -> None:
    client, _ = make_app(token_server.jwks_url)
    response = client.post(EXPORT_DASHBOARDS, json=["123"], headers=AUTH)
    assert_refused(response, "not a well-formed JWT", TOKEN)
    assert "not configured" not in response.json()["detailedMessage"]


def test_a_jwt_callers_sub_is_what_history_records_never_a_header(
    token_server: TokenServer, make_app: Callable[..., tuple[Client, Container]]
) -> None:
    """The actor comes from the verified token: its `sub`, with `azp` when that differs."""
    client, _ = make_app(token_server.jwks_url)
    token = token_server.issue(sub="alice@example.com", azp="boardport-ci")
    claimed = {**bearer(token), "X-Forwarded-User": "mallory", "X-Actor": "mallory"}
    assert client.delete("/api/public/dashboard/123", headers=claimed).status_code == 204
    same = token_server.issue(sub="deployer", azp="deployer")
    assert client.delete("/api/public/dashboard/456", headers=bearer(same)).status_code == 204
    changes = client.get("/api/public/change", headers=bearer(token)).json()
    assert [(c["kind"], c["actor"]) for c in changes[:2]] == [
        ("delete", "deployer"),
        ("delete", "alice@example.com (boardport-ci)"),
    ]
    revisions = client.get("/api/public/dashboard/123/revision", headers=bearer(token)).json()
    assert revisions[0]["actor"] == "alice@example.com (boardport-ci)"
