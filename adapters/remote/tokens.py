"""Where a client's bearer token comes from: a static token, or the OAuth client-credentials
grant, cached until shortly before it expires."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import httpx

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
    access_token is kept until EXPIRY_MARGIN_SECONDS before its expires_in runs out."""

    def __init__(
        self,
        http: httpx.Client,
        token_url: str,
        *,
        client_id: str,
        client_secret: str,
        audience: str | None,
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
        self._clock = clock
        self._lock = threading.Lock()
        self._cached: str | None = None
        self._renew_at = 0.0
        self.fetches = 0

    def token(self) -> str:
        with self._lock:
            if self._cached is None or self._clock() >= self._renew_at:
                self._cached, lifetime = self._fetch()
                margin = min(EXPIRY_MARGIN_SECONDS, lifetime / 2)
                self._renew_at = self._clock() + lifetime - margin
            return self._cached

    def invalidate(self) -> None:
        with self._lock:
            self._cached = None

    def _fetch(self) -> tuple[str, float]:
        self.fetches += 1
        try:
            answer = self._http.post(self._token_url, data=self._form)
        except httpx.TransportError as error:
            raise ServerUnreachable(
                f"The token server {self._token_url} could not be reached: {error}"
            ) from None
        if answer.status_code != 200:
            raise ServerRefused(
                answer.status_code,
                "tokenRequestFailed",
                f"The token server {self._token_url} answered {answer.status_code}: "
                f"{answer.text[:300]}",
            )
        try:
            body = answer.json()
            access_token = body["access_token"]
        except (ValueError, KeyError, TypeError):
            raise ServerRefused(
                answer.status_code,
                "tokenRequestFailed",
                f"The token server {self._token_url} answered without an access_token.",
            ) from None
        if not isinstance(access_token, str) or not access_token:
            raise ServerRefused(
                answer.status_code,
                "tokenRequestFailed",
                f"The token server {self._token_url} answered an empty access_token.",
            )
        expires_in = body.get("expires_in")
        lifetime = (
            float(expires_in)
            if isinstance(expires_in, int | float) and expires_in > 0
            else DEFAULT_LIFETIME_SECONDS
        )
        return access_token, lifetime
