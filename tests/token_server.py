"""A small OAuth 2 token server for tests, on 127.0.0.1: it serves a JWKS and answers the
client-credentials grant with JWTs signed by keys that `cryptography` makes, as Camunda Identity,
Keycloak, Entra ID or the SaaS login do for Camunda's clients.

In a test: `with TokenServer() as server: token = server.grant()` (or `server.issue(...)` for a
token with chosen claims, `server.rotate(...)` to swap keys, `server.down = True` to answer 503,
`server.jwks_fetches` to count key set fetches, `server.granted` for the tokens it handed out,
`server.expire_all()` to make them run out, `server.valid(token)` to ask as a resource server
would, `server.grant_requests` for what clients sent). As a process of its own:
`python -m tests.token_server --client ID:SECRET --audience AUD` prints one JSON line with its
URLs, then serves until it is stopped."""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

JWKS_PATH = "/.well-known/jwks.json"
TOKEN_PATH = "/oauth/token"
DEFAULT_AUDIENCE = "optimize-api"
DEFAULT_CLIENT = ("boardport-ci", "ci-secret-0123456789")
TOKEN_LIFETIME_SECONDS = 300

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey


@dataclass(frozen=True)
class KeyPair:
    """A signing key made by `cryptography`, its key ID and the algorithm its JWK declares
    (None: the JWK names none, and the key type decides)."""

    kid: str
    algorithm: str
    private_key: PrivateKey
    declares_algorithm: bool = True

    @classmethod
    def rsa(cls, kid: str, algorithm: str = "RS256", *, declares: bool = True) -> KeyPair:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return cls(kid, algorithm, private, declares)

    @classmethod
    def ec(cls, kid: str, algorithm: str = "ES256") -> KeyPair:
        curve = ec.SECP384R1() if algorithm == "ES384" else ec.SECP256R1()
        return cls(kid, algorithm, ec.generate_private_key(curve))

    @classmethod
    def ed25519(cls, kid: str) -> KeyPair:
        return cls(kid, "EdDSA", ed25519.Ed25519PrivateKey.generate())

    @property
    def public_jwk(self) -> dict[str, Any]:
        public = self.private_key.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            jwk = RSAAlgorithm.to_jwk(public, as_dict=True)
        elif isinstance(public, ec.EllipticCurvePublicKey):
            jwk = ECAlgorithm.to_jwk(public, as_dict=True)
        else:
            jwk = OKPAlgorithm.to_jwk(public, as_dict=True)
        jwk.update(kid=self.kid, use="sig")
        if self.declares_algorithm:
            jwk["alg"] = self.algorithm
        return jwk

    @property
    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign(self, claims: dict[str, Any], *, headers: dict[str, Any] | None = None) -> str:
        """The JWT of `claims`; a header given as None is left out (`kid` among them)."""
        merged = {"kid": self.kid, **(headers or {})}
        merged = {name: value for name, value in merged.items() if value is not None}
        return jwt.encode(claims, self.private_key, algorithm=self.algorithm, headers=merged)


@dataclass(frozen=True)
class GrantRequest:
    """What a client sent to the token endpoint: its Content-Type and its form."""

    content_type: str
    form: dict[str, str]


@dataclass
class TokenServer:
    """The token server; `start()` (or `with`) binds it to `port` (0: a free one)."""

    audience: str = DEFAULT_AUDIENCE
    clients: dict[str, str] = field(default_factory=lambda: dict([DEFAULT_CLIENT]))
    port: int = 0
    keys: list[KeyPair] = field(default_factory=lambda: [KeyPair.rsa("key-1")])
    down: bool = False
    jwks_fetches: int = 0
    grants: int = 0
    granted: list[str] = field(default_factory=list)
    """Every access token the grant answered, oldest first."""
    expired: set[str] = field(default_factory=set)
    grant_requests: list[GrantRequest] = field(default_factory=list)
    _http: ThreadingHTTPServer | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return f"{self.url}/realms/camunda-platform"

    @property
    def jwks_url(self) -> str:
        return f"{self.url}{JWKS_PATH}"

    @property
    def token_url(self) -> str:
        return f"{self.url}{TOKEN_PATH}"

    @property
    def signing_key(self) -> KeyPair:
        """The key grants are signed with: the newest published one."""
        return self.keys[-1]

    def start(self) -> TokenServer:
        self._http = ThreadingHTTPServer(("127.0.0.1", self.port), _handler_for(self))
        self._http.daemon_threads = True
        self.port = self._http.server_address[1]
        threading.Thread(
            target=self._http.serve_forever, args=(0.05,), name="token-server", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None

    def __enter__(self) -> TokenServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def rotate(self, new_key: KeyPair, *, keep_old: bool = False) -> None:
        """Publishes `new_key` and signs with it from now on; the old keys leave the key set
        unless `keep_old`."""
        with self._lock:
            self.keys = [*self.keys, new_key] if keep_old else [new_key]

    def jwks(self) -> dict[str, Any]:
        with self._lock:
            return {"keys": [key.public_jwk for key in self.keys]}

    def claims(self, **overrides: Any) -> dict[str, Any]:
        """A client-credentials token's claims, as Keycloak writes them; an override of None
        leaves that claim out."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": "service-account-boardport-ci",
            "aud": self.audience,
            "azp": "boardport-ci",
            "iat": now,
            "nbf": now,
            "exp": now + TOKEN_LIFETIME_SECONDS,
            "jti": secrets.token_hex(8),
            "scope": "optimize",
        }
        claims.update(overrides)
        return {name: value for name, value in claims.items() if value is not None}

    def issue(self, *, key: KeyPair | None = None, **overrides: Any) -> str:
        """A JWT with the standard claims, `overrides` applied, signed by `key` (the signing key
        by default)."""
        return (key or self.signing_key).sign(self.claims(**overrides))

    def expire_all(self) -> None:
        """Every token granted so far runs out now, as if the run outlived them."""
        with self._lock:
            self.expired.update(self.granted)

    def valid(self, token: str) -> bool:
        """A token this server granted and that has not run out (see `expire_all`)."""
        with self._lock:
            return token in self.granted and token not in self.expired

    def grant(self, audience: str | None = None) -> str:
        """An access token fetched over HTTP, as a client does."""
        client_id, secret = next(iter(self.clients.items()))
        form = {"grant_type": "client_credentials", "client_id": client_id}
        form |= {"client_secret": secret, "audience": audience or self.audience}
        response = httpx.post(self.token_url, data=form, timeout=10)
        response.raise_for_status()
        token: str = response.json()["access_token"]
        return token


def _handler_for(server: TokenServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # a test's output stays readable

        def do_GET(self) -> None:
            if self.path == JWKS_PATH:
                with server._lock:
                    server.jwks_fetches += 1
                if server.down:
                    self._answer(HTTPStatus.SERVICE_UNAVAILABLE, {"error": "down"})
                else:
                    self._answer(HTTPStatus.OK, server.jwks())
            elif self.path == "/.well-known/openid-configuration":
                self._answer(
                    HTTPStatus.OK,
                    {
                        "issuer": server.issuer,
                        "jwks_uri": server.jwks_url,
                        "token_endpoint": server.token_url,
                        "grant_types_supported": ["client_credentials"],
                    },
                )
            else:
                self._answer(HTTPStatus.NOT_FOUND, {"error": "not_found"})

        def do_POST(self) -> None:
            if self.path != TOKEN_PATH:
                self._answer(HTTPStatus.NOT_FOUND, {"error": "not_found"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            content_type = self.headers.get("Content-Type", "")
            with server._lock:
                server.grant_requests.append(GrantRequest(content_type, form))
            client_id, secret = _client_credentials(self.headers.get("Authorization"), form)
            if server.down:
                self._answer(HTTPStatus.SERVICE_UNAVAILABLE, {"error": "temporarily_unavailable"})
            elif form.get("grant_type") != "client_credentials":
                self._answer(HTTPStatus.BAD_REQUEST, {"error": "unsupported_grant_type"})
            elif client_id is None or server.clients.get(client_id) != secret:
                self._answer(HTTPStatus.UNAUTHORIZED, {"error": "invalid_client"})
            else:
                audience = form.get("audience") or server.audience
                token = server.issue(aud=audience, azp=client_id)
                with server._lock:
                    server.grants += 1
                    server.granted.append(token)
                self._answer(
                    HTTPStatus.OK,
                    {
                        "access_token": token,
                        "token_type": "Bearer",
                        "expires_in": TOKEN_LIFETIME_SECONDS,
                        "scope": "optimize",
                    },
                )

        def _answer(self, status: HTTPStatus, body: dict[str, Any]) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


def _client_credentials(
    authorization: str | None, form: dict[str, str]
) -> tuple[str | None, str | None]:
    """client_secret_basic or client_secret_post, as RFC 6749 §2.3.1 allows."""
    if authorization and authorization.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(authorization[6:], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        client_id, _, secret = decoded.partition(":")
        return client_id, secret
    return form.get("client_id"), form.get("client_secret")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--audience", default=DEFAULT_AUDIENCE)
    parser.add_argument("--client", default=":".join(DEFAULT_CLIENT), help="ID:SECRET")
    options = parser.parse_args()
    client_id, _, secret = options.client.partition(":")
    server = TokenServer(audience=options.audience, clients={client_id: secret}, port=options.port)
    server.start()
    urls = {"url": server.url, "jwks_url": server.jwks_url, "token_url": server.token_url}
    print(json.dumps(urls | {"issuer": server.issuer}), flush=True)  # noqa: T201
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()
        sys.exit(0)


if __name__ == "__main__":
    main()
