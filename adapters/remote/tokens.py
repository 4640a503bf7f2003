"""Where a client's bearer token comes from: a static token, or the OAuth client-credentials
grant, cached until shortly before it expires."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import httpx

from adapters.remote.retry import RETRIED_STATUSES, Waits, WaitTooLong
from application.ports.optimize_server import ServerRefused, ServerUnreachable

# A token is renewed this long before the server said it expires, so that it does not run out
# between being read here and being checked there.
EXPIRY_MARGIN_SECONDS = 30.0
DEFAULT_LIFETIME_SECONDS = 300.0


class TokenSource(Protocol):
    def token(self) -> str: ...

    def invalidate(self) -> None:
        """Forgets a token the server refused, so the next call fetches a new one."""
        ...


@dataclass(frozen=True, slots=True)
class StaticToken:
    value: str

    def token(self) -> str:
        return self.value

    def invalidate(self) -> None:
        """A static token cannot be renewed."""


class ClientCredentialsToken:
    """POST <token URL> grant_type=client_credentials, form-encoded; the answer's
    access_token is kept until EXPIRY_MARGIN_SECONDS before its expires_in runs out. The token
    server is retried as any server is (429, 502, 503, 504, a dropped connection), its waits
    said and counted with those of the server it gives tokens for."""

    def __init__(
        self,
        http: httpx.Client,
        token_url: str,
        *,
        client_id: str,
        client_secret: str,
        audience: str | None,
        waits: Waits | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._token_url = token_url
        self._form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        }
        if audience:
            self._form["audience"] = audience
        self._waits = waits or Waits()
        self._clock = clock
        self._lock = threading.Lock()
        self._cached: str | None = None
        self._renew_at = 0.0
        self.fetches = 0

    def token(self) -> str:
        with self._lock:
            if self._cached is None or self._clock() >= self._renew_at:
                self._cached, lifetime = self._read(self._answer())
                margin = min(EXPIRY_MARGIN_SECONDS, lifetime / 2)
                self._renew_at = self._clock() + lifetime - margin
            return self._cached

    def invalidate(self) -> None:
        with self._lock:
            self._cached = None

    def _answer(self) -> httpx.Response:
        """The token server's 200, after the retries; raises ServerUnreachable or
        ServerRefused (tokenRequestFailed) naming the token server otherwise."""
        attempts = self._waits.policy.attempts
        for attempt in range(1, attempts + 1):
            self.fetches += 1
            last = attempt == attempts
            try:
                answer = self._http.post(self._token_url, data=self._form)
            except httpx.TransportError as error:
                if last:
                    raise ServerUnreachable(
                        f"the token server {self._token_url} could not be reached after "
                        f"{attempt} attempt(s): {type(error).__name__}: {error}"
                    ) from None
                why = f"the token server failed: {type(error).__name__}"
                self._waits.before_retry(attempt, None, why)
                continue
            if answer.status_code in RETRIED_STATUSES and not last:
                why = f"the token server answered {answer.status_code}"
                self._before_retry(attempt, answer, why)
                continue
            if answer.status_code != 200:
                raise _failed(
                    answer.status_code,
                    f"the token server {self._token_url} answered {answer.status_code} after "
                    f"{attempt} attempt(s): {answer.text[:300]}",
                )
            return answer
        raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover

    def _before_retry(self, attempt: int, answer: httpx.Response, why: str) -> None:
        try:
            self._waits.before_retry(attempt, answer.headers.get("Retry-After"), why)
        except WaitTooLong as error:
            raise _failed(answer.status_code, f"the token server {error}") from None

    def _read(self, answer: httpx.Response) -> tuple[str, float]:
        try:
            body = answer.json()
            access_token = body["access_token"]
        except (ValueError, KeyError, TypeError):
            raise _failed(
                answer.status_code,
                f"the token server {self._token_url} answered without an access_token.",
            ) from None
        if not isinstance(access_token, str) or not access_token:
            raise _failed(
                answer.status_code,
                f"the token server {self._token_url} answered an empty access_token.",
            )
        expires_in = body.get("expires_in")
        lifetime = (
            float(expires_in)
            if isinstance(expires_in, int | float) and expires_in > 0
            else DEFAULT_LIFETIME_SECONDS
        )
        return access_token, lifetime


def _failed(status: int, message: str) -> ServerRefused:
    return ServerRefused(status, "tokenRequestFailed", message)
