from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from jwt import PyJWK
from jwt.exceptions import PyJWTError

logger = logging.getLogger("boardport.auth")

# The asymmetric algorithms boardport accepts; the key, never the token, decides among them.
ACCEPTED_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"})
_RSA_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256"})
_EC_ALGORITHMS = {"P-256": frozenset({"ES256"}), "P-384": frozenset({"ES384"})}
_OKP_CURVES = frozenset({"Ed25519", "Ed448"})

FETCH_TIMEOUT_SECONDS = 5.0
REFETCH_INTERVAL_SECONDS = 30.0
REFRESH_AFTER_SECONDS = 300.0
MAX_KEY_SET_BYTES = 1024 * 1024

Fetch = Callable[[str, float], bytes]


class KeySetFetchFailed(Exception):
    """The key set could not be fetched or read; the message says why, for the log and the 401."""


class SigningKeyNotFound(Exception):
    """No key of the key set can check the token; `detail` says why, in a client's words."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True, slots=True)
class SigningKey:
    """One public key of the set and the algorithms it may verify: the JWK's `alg` when it names
    one, else those its key type and curve allow."""

    kid: str | None
    key: Any
    algorithms: frozenset[str]


def fetch_over_http(url: str, timeout: float) -> bytes:
    """The body of a GET of `url` (http or https only), read up to MAX_KEY_SET_BYTES."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise KeySetFetchFailed("the URL is not http(s)")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, headers={"Accept": "application/json", "User-Agent": "boardport"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body: bytes = response.read(MAX_KEY_SET_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise KeySetFetchFailed(f"it answered HTTP {error.code}") from None
    except urllib.error.URLError as error:
        raise KeySetFetchFailed(_reason_of(error.reason)) from None
    except (TimeoutError, OSError) as error:
        raise KeySetFetchFailed(_reason_of(error)) from None
    if len(body) > MAX_KEY_SET_BYTES:
        raise KeySetFetchFailed(f"its answer is larger than {MAX_KEY_SET_BYTES} bytes")
    return body


def _reason_of(error: object) -> str:
    if isinstance(error, TimeoutError):
        return "it did not answer in time"
    if isinstance(error, ConnectionRefusedError):
        return "the connection was refused"
    return str(error) or type(error).__name__


def signing_keys_of(body: bytes) -> tuple[SigningKey, ...]:
    """The signature keys of a JWKS document; encryption keys, symmetric keys and keys of
    algorithms boardport does not accept are left out."""
    try:
        document = json.loads(body)
    except ValueError:
        raise KeySetFetchFailed("its answer is not JSON") from None
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise KeySetFetchFailed("its answer is not a JWKS document with a 'keys' list")
    keys = tuple(
        key for key in map(_signing_key, document["keys"]) if key is not None and key.algorithms
    )
    if not keys:
        raise KeySetFetchFailed("it holds no public signature key boardport can use")
    return keys


def _signing_key(jwk: object) -> SigningKey | None:
    if not isinstance(jwk, dict) or jwk.get("use", "sig") != "sig":
        return None
    algorithms = _algorithms_of(jwk)
    if not algorithms:
        return None
    try:
        parsed = PyJWK(jwk, algorithm=min(algorithms))
    except PyJWTError:
        return None
    kid = jwk.get("kid")
    return SigningKey(kid if isinstance(kid, str) else None, parsed.key, algorithms)


def _algorithms_of(jwk: Mapping[str, Any]) -> frozenset[str]:
    kty, crv, declared = jwk.get("kty"), jwk.get("crv"), jwk.get("alg")
    if kty == "RSA":
        allowed = _RSA_ALGORITHMS
    elif kty == "EC":
        allowed = _EC_ALGORITHMS.get(crv, frozenset()) if isinstance(crv, str) else frozenset()
    elif kty == "OKP" and crv in _OKP_CURVES:
        allowed = frozenset({"EdDSA"})
    else:  # "oct" among others: a symmetric key never verifies anything here
        allowed = frozenset()
    if declared is not None:
        return allowed & {declared}
    return allowed


class JwksKeySet:
    """The signing keys of an identity provider, fetched from its JWKS URL and cached.

    Fetches run in a thread of their own, each bounded by a timeout, never on the event loop.
    A known key is answered from the cache at once, whatever the provider's state; a cache older
    than `refresh_after` is refreshed in the background. An unknown key triggers one fetch, at
    most one every `refetch_interval` seconds (counted from the last attempt, successful or
    not), shared by every request that waits for it."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = FETCH_TIMEOUT_SECONDS,
        refetch_interval: float = REFETCH_INTERVAL_SECONDS,
        refresh_after: float = REFRESH_AFTER_SECONDS,
        fetch: Fetch = fetch_over_http,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._timeout = timeout
        self._refetch_interval = refetch_interval
        self._refresh_after = refresh_after
        self._fetch = fetch
        self._clock = clock
        self._lock = threading.Lock()
        self._by_kid: dict[str, SigningKey] = {}
        self._keys: tuple[SigningKey, ...] = ()
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._failure: str | None = None
        self._in_flight: Future[None] | None = None

    async def keys_for(self, kid: str | None) -> tuple[SigningKey, ...]:
        """The keys that may have signed a token naming `kid` (every key when it names none).
        Raises SigningKeyNotFound saying why there is none."""
        found = self._cached(kid)
        if found:
            self._refresh_if_stale()
            return found
        fetch = self._refetch_if_allowed()
        if fetch is not None:
            waiting = asyncio.wrap_future(fetch)
            # Not cancelled on timeout: the fetch goes on in its thread for later requests.
            await asyncio.wait({waiting}, timeout=self._timeout)
            found = self._cached(kid)
            if found:
                return found
            if not fetch.done():
                raise SigningKeyNotFound(
                    f"The JWT's signing key is not in the cached key set, and the key set at "
                    f"{self.url} did not answer within {self._timeout:g} s."
                )
        raise SigningKeyNotFound(self._why_not_found())

    def holds(self, key: SigningKey) -> bool:
        """Whether `key` is still in the set; a stale set is refreshed in the background."""
        self._refresh_if_stale()
        return any(known is key for known in self._keys)

    def _cached(self, kid: str | None) -> tuple[SigningKey, ...]:
        if kid is None:
            return self._keys
        key = self._by_kid.get(kid)
        return (key,) if key is not None else ()

    def _why_not_found(self) -> str:
        with self._lock:
            failure, fetched = self._failure, self._fetched_at is not None
        if failure is not None:
            return (
                f"The JWT's signing key is not in the cached key set, and the key set could not "
                f"be fetched from {self.url}: {failure}. boardport tries again at most every "
                f"{self._refetch_interval:g} s."
            )
        if not fetched:
            return f"The key set at {self.url} has not been fetched yet; try again shortly."
        return (
            f"The JWT is signed by a key (kid) that is not in the key set at {self.url}, even "
            f"after fetching it again (at most every {self._refetch_interval:g} s)."
        )

    def _refetch_if_allowed(self) -> Future[None] | None:
        with self._lock:
            if self._in_flight is not None and not self._in_flight.done():
                return self._in_flight
            now = self._clock()
            if self._attempted_at is not None and now - self._attempted_at < self._refetch_interval:
                return None
            return self._start_fetch(now)

    def _refresh_if_stale(self) -> None:
        with self._lock:
            now = self._clock()
            stale = self._fetched_at is not None and now - self._fetched_at >= self._refresh_after
            busy = self._in_flight is not None and not self._in_flight.done()
            recent = (
                self._attempted_at is not None and now - self._attempted_at < self._refetch_interval
            )
            if stale and not busy and not recent:
                self._start_fetch(now)

    def _start_fetch(self, now: float) -> Future[None]:
        """Called with the lock held."""
        self._attempted_at = now
        done: Future[None] = Future()
        self._in_flight = done
        threading.Thread(
            target=self._fetch_into, args=(done,), name="boardport-jwks", daemon=True
        ).start()
        return done

    def _fetch_into(self, done: Future[None]) -> None:
        try:
            keys = signing_keys_of(self._fetch(self.url, self._timeout))
        except KeySetFetchFailed as failed:
            logger.warning("could not fetch the JWT key set from %s: %s", self.url, failed)
            with self._lock:
                self._failure = str(failed)
        else:
            with self._lock:
                self._keys = keys
                self._by_kid = {key.kid: key for key in keys if key.kid is not None}
                self._fetched_at = self._clock()
                self._failure = None
        finally:
            done.set_result(None)
