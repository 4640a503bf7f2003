from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import jwt
from jwt.algorithms import get_default_algorithms
from jwt.exceptions import (
    DecodeError,
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAudienceError,
    InvalidIssuerError,
    InvalidSignatureError,
    MissingRequiredClaimError,
    PyJWTError,
)

from adapters.auth.jwks import ACCEPTED_ALGORITHMS, JwksKeySet, SigningKey, SigningKeyNotFound
from application.ports.token_verifier import TokenVerifier
from domain.actor import Actor
from domain.errors import NotAuthorized

MAX_TOKEN_BYTES = 16 * 1024
LEEWAY_SECONDS = 60
MAX_REMEMBERED_TOKENS = 4096
_HMAC_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
# Three base64url parts (the last empty for alg none, padding tolerated as some issuers send
# it): checked in C before any parsing.
_JWT_SHAPE = re.compile(r"[A-Za-z0-9_-]+=*\.[A-Za-z0-9_-]+=*\.[A-Za-z0-9_-]*=*")
_ACCEPTED = ", ".join(sorted(ACCEPTED_ALGORITHMS))
_SIGNATURES = {name: get_default_algorithms()[name] for name in ACCEPTED_ALGORITHMS}

MISSING_CREDENTIALS = "Send a JWT (or the API access token) as 'Authorization: Bearer <token>'."
TOO_LARGE = f"The bearer token is longer than {MAX_TOKEN_BYTES} bytes; it was refused unread."
MALFORMED = (
    "The bearer token is not a well-formed JWT: three base64url parts, the first a JSON header "
    "that names its algorithm."
)
UNSIGNED = (
    "The JWT is not signed (alg none); only tokens signed by a key of the configured key set "
    "are accepted."
)
SIGNATURE = (
    "The JWT's signature does not verify against its key in the key set: the token was altered, "
    "or signed by another key."
)
EXPIRED = f"The JWT has expired (exp is past, beyond {LEEWAY_SECONDS} s of leeway)."
NOT_YET_VALID = f"The JWT is not valid yet (nbf or iat lies ahead, beyond {LEEWAY_SECONDS} s)."
NO_EXPIRY = "The JWT has no expiry (exp); only tokens that expire are accepted."
NO_SUBJECT = (
    "The JWT names no subject (sub), nor a client (azp, client_id); boardport records who made "
    "each change, so a token must say whom it was issued to."
)


class JwtVerifier(TokenVerifier):
    """A JWT signed by a key of the identity provider's key set, for this server's audience
    (and issuer, when one is configured), unexpired within 60 s of leeway. The algorithm must be
    one the signing key allows: never `none`, never HMAC."""

    def __init__(
        self,
        keys: JwksKeySet,
        *,
        audience: str,
        issuer: str | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._keys = keys
        self._wall_clock = wall_clock
        self._audience = audience
        self._issuer = issuer
        # A client sends the same token until it expires. The SHA-256 of each token that
        # passed, with its expiry, key and caller: the same bytes pass again while unexpired
        # and while the key is in the set, without parsing or verifying them again.
        self._passed: dict[bytes, _Passed] = {}

    async def verify(self, token: str | None) -> Actor:
        if not token:
            raise NotAuthorized(MISSING_CREDENTIALS)
        if len(token) > MAX_TOKEN_BYTES:
            raise NotAuthorized(TOO_LARGE)
        digest = hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()
        passed = self._passed.get(digest)
        if passed is not None:
            if self._wall_clock() < passed.expires + LEEWAY_SECONDS and self._keys.holds(
                passed.key
            ):
                return passed.actor
            self._passed.pop(digest, None)
        if not token.isascii() or _JWT_SHAPE.fullmatch(token) is None:
            raise NotAuthorized(MALFORMED)
        passed = await self._verify_anew(token)
        self._remember(digest, passed)
        return passed.actor

    def _remember(self, digest: bytes, passed: _Passed) -> None:
        if len(self._passed) >= MAX_REMEMBERED_TOKENS:
            del self._passed[next(iter(self._passed))]  # the oldest
        self._passed[digest] = passed

    async def _verify_anew(self, token: str) -> _Passed:
        """The token's expiry, the key that signed it and its caller, once every check has
        passed."""
        algorithm, kid = _algorithm_and_kid(token)
        try:
            candidates = await self._keys.keys_for(kid)
        except SigningKeyNotFound as missing:
            raise NotAuthorized(missing.detail) from None
        usable = [key for key in candidates if algorithm in key.algorithms]
        if not usable:
            allowed = sorted({name for key in candidates for name in key.algorithms})
            raise NotAuthorized(
                f"The JWT's algorithm does not fit its signing key, which allows only "
                f"{', '.join(allowed)}."
            )
        signed = _signature_checker(token, algorithm)
        for key in usable:
            # The library's own signature check, first and alone: the full decode reads the
            # token a character at a time in Python, worth paying only for a genuine token.
            if not signed(key):
                continue
            try:
                claims = jwt.decode(
                    token,
                    key.key,
                    algorithms=[algorithm],
                    audience=self._audience,
                    issuer=self._issuer,
                    leeway=LEEWAY_SECONDS,
                    options={"require": ["exp"]},
                )
            except InvalidSignatureError:
                continue  # a token without kid: another key of the set may have signed it
            except PyJWTError as refused:
                raise NotAuthorized(self._reason(refused)) from None
            return _Passed(float(claims["exp"]), key, _actor(claims))
        raise NotAuthorized(SIGNATURE)

    def _reason(self, refused: PyJWTError) -> str:
        if isinstance(refused, ExpiredSignatureError):
            return EXPIRED
        if isinstance(refused, ImmatureSignatureError):
            return NOT_YET_VALID
        if isinstance(refused, MissingRequiredClaimError):
            return {
                "exp": NO_EXPIRY,
                "aud": f"The JWT names no audience (aud); this server accepts only tokens for "
                f"the audience '{self._audience}'.",
                "iss": f"The JWT names no issuer (iss); this server accepts only tokens issued "
                f"by '{self._issuer}'.",
            }.get(refused.claim, f"The JWT lacks the required claim '{refused.claim}'.")
        if isinstance(refused, InvalidAudienceError):
            return (
                f"The JWT's audience (aud) does not include '{self._audience}', this server's "
                "audience."
            )
        if isinstance(refused, InvalidIssuerError):
            return f"The JWT's issuer (iss) is not '{self._issuer}', the issuer this server trusts."
        if isinstance(refused, DecodeError):
            return MALFORMED
        return f"The JWT's claims are not well formed ({type(refused).__name__})."


@dataclass(frozen=True, slots=True)
class _Passed:
    expires: float
    key: SigningKey
    actor: Actor


def _actor(claims: dict[str, object]) -> Actor:
    """The caller a verified token names: its `sub`, with `azp` when that differs. A token of
    the client-credentials grant that names no subject is its client's (`azp`, `client_id`)."""
    named = [claims.get(c) for c in ("sub", "azp", "client_id")]
    subject, party, client = (n if isinstance(n, str) and n else None for n in named)
    if subject is not None:
        return Actor.from_jwt(subject, party)
    if party or client:
        return Actor.from_jwt(party or client or "")
    raise NotAuthorized(NO_SUBJECT)


def _signature_checker(token: str, algorithm: str) -> Callable[[SigningKey], bool]:
    signing_input, _, encoded = token.rpartition(".")
    try:
        signature = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (ValueError, binascii.Error):
        raise NotAuthorized(MALFORMED) from None
    check = _SIGNATURES[algorithm]
    message = signing_input.encode()
    return lambda key: check.verify(message, key.key, signature)


def _algorithm_and_kid(token: str) -> tuple[str, str | None]:
    """The header's algorithm, refused early unless boardport accepts it, and key ID. Read
    here rather than by the library: a refusal costs no more than decoding the header."""
    encoded = token.partition(".")[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (ValueError, binascii.Error):
        raise NotAuthorized(MALFORMED) from None
    if not isinstance(header, dict):
        raise NotAuthorized(MALFORMED)
    algorithm, kid = header.get("alg"), header.get("kid")
    if not isinstance(algorithm, str) or not (kid is None or isinstance(kid, str)):
        raise NotAuthorized(MALFORMED)
    if algorithm.lower() == "none":
        raise NotAuthorized(UNSIGNED)
    if algorithm in _HMAC_ALGORITHMS:
        raise NotAuthorized(
            f"The JWT is signed with {algorithm}, an HMAC algorithm; only tokens signed by a "
            f"public key of the key set are accepted ({_ACCEPTED})."
        )
    if algorithm not in ACCEPTED_ALGORITHMS:
        raise NotAuthorized(f"The JWT's algorithm is not one boardport accepts ({_ACCEPTED}).")
    return algorithm, kid
