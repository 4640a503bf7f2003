"""One server's HTTP calls: the token, the headers, the timeout, and the retries."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import httpx

from adapters.remote.answers import (
    Answer,
    certificate_problem,
    plain_http_answer,
    read_body,
    refusal,
)
from adapters.remote.retry import NOT_PROCESSED_STATUSES, RETRIED_STATUSES, Waits, WaitTooLong
from adapters.remote.tokens import TokenSource
from application.ports.optimize_server import AnswerLost, ServerRefused, ServerUnreachable
from domain.json_document import JsonValue

IN_PROGRESS = "idempotencyKeyInProgress"
"""A 409 with this errorCode: the first try of this idempotency key still runs; try again."""


@functools.cache  # read from the installed metadata: once a run, not once a request
def user_agent() -> str:
    try:
        return f"boardport/{version('boardport')}"
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "boardport/0"


class TlsFailure(ServerUnreachable):
    """TLS failed in a way that trying again would not change: a certificate that cannot be
    verified, or a plain-HTTP port behind an https:// URL."""


@dataclass(frozen=True, slots=True)
class Call:
    """One request as the caller describes it. `idempotent`: it may be sent again after it
    may have been acted on (reads, exports, registrations, deletes, an import with an
    Idempotency-Key); a plain import may not. `accepts`: an answer it takes as it is, whatever
    its status, with no retry."""

    method: str
    path: str
    params: Mapping[str, str] | None = None
    json_body: JsonValue = None
    content: Callable[[], Iterator[bytes]] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    authorized: bool = True
    idempotent: bool = True
    accepts: Callable[[Answer], bool] | None = None


class HttpCalls:
    """Every call carries the bearer token, a boardport User-Agent and a timeout. 429, 502,
    503, 504 and dropped connections are retried with backoff and jitter, honouring
    Retry-After, `policy.attempts` times in all, each wait said (see Waits); a call that may
    have been acted on is retried only when it is idempotent, and raises AnswerLost otherwise.
    A 409 idempotencyKeyInProgress is waited out, up to the policy's max_wait. A 401 fetches
    the token once more. Other errors are final. Every error names `server`."""

    def __init__(
        self, url: str, role: str, tokens: TokenSource, http: httpx.Client, waits: Waits
    ) -> None:
        self.url = url.rstrip("/")
        self.role = role
        self.server = f"{role} {self.url}"
        self._tokens = tokens
        self._http = http
        self.waits = waits

    def send(self, call: Call) -> Answer:
        what = f"{call.method} {self.url}{call.path}"
        attempt, refreshed, held = 1, False, 0.0
        while True:
            try:
                answer = self._exchange(call)
            except httpx.TransportError as error:
                self._unless_retried(error, what, attempt, idempotent=call.idempotent)
                self._wait(attempt, None, f"{what} failed: {_described(error)}", 0)
                attempt += 1
                continue
            status = answer.status_code
            if call.accepts is not None and call.accepts(answer):
                return answer
            if status == 401 and call.authorized and not refreshed:
                refreshed = True
                self._tokens.invalidate()
                continue
            if _in_progress(answer) and held < self.waits.policy.max_wait:
                held += self._wait(1, answer.headers.get("Retry-After", "1"), _STILL_RUNNING, 409)
                continue
            retried = status in RETRIED_STATUSES
            if retried and (call.idempotent or status in NOT_PROCESSED_STATUSES):
                if attempt < self.waits.policy.attempts:
                    why = f"the {self.role} answered {status}"
                    self._wait(attempt, answer.headers.get("Retry-After"), why, status)
                    attempt += 1
                    continue
            elif retried:
                raise AnswerLost(_lost(what, f"the answer was {status}"), server=self.server)
            if status >= 400:
                raise refusal(answer, what, self.server)
            return answer

    def _wait(self, attempt: int, retry_after: str | None, why: str, status: int) -> float:
        try:
            return self.waits.before_retry(attempt, retry_after, why)
        except WaitTooLong as error:
            raise ServerRefused(
                status, None, f"the {self.role} {error}", server=self.server
            ) from None

    def _exchange(self, call: Call) -> Answer:
        """One request and its whole answer. A body is read into one buffer of the length the
        server announced: httpx's own read joins its chunks, holding a batch of export twice."""
        request = self._http.build_request(
            call.method, f"{self.url}{call.path}", params=call.params, **self._parts(call)
        )
        answer = self._http.send(request, stream=True)
        try:
            body = read_body(answer)
        finally:
            answer.close()
        return Answer(answer.status_code, answer.headers, request.url, body)

    def _parts(self, call: Call) -> dict[str, Any]:
        """The headers and body of one attempt (a new token, a new stream each time)."""
        headers = {"User-Agent": user_agent(), "Accept": "application/json", **call.headers}
        if call.authorized:
            try:
                headers["Authorization"] = f"Bearer {self._tokens.token()}"
            except (ServerRefused, ServerUnreachable) as error:
                error.server = error.server or self.server
                raise
        parts: dict[str, Any] = {"headers": headers}
        if call.content is not None:
            headers["Content-Type"] = "application/json"
            parts["content"] = call.content()
        elif call.json_body is not None:
            headers["Content-Type"] = "application/json"
            parts["content"] = json.dumps(call.json_body, ensure_ascii=False).encode()
        return parts

    def _unless_retried(
        self, error: httpx.TransportError, what: str, attempt: int, *, idempotent: bool
    ) -> None:
        """Raises unless the request is to be tried again: TlsFailure for what trying again
        would not change, AnswerLost for a request that may have been acted on and may not be
        sent again, ServerUnreachable once the attempts are used up."""
        certificate = certificate_problem(error)
        if certificate is not None:
            raise TlsFailure(
                f"{what} refused: the server's TLS certificate could not be verified "
                f"({certificate}). For a server whose certificate a private CA signed, give "
                "that CA's certificate with --ca-cert FILE.",
                server=self.server,
            ) from None
        plain = plain_http_answer(error)
        if plain is not None:
            raise TlsFailure(
                f"{what} failed: the server answered the TLS handshake in plain HTTP "
                f"({plain}); is it http://?",
                server=self.server,
            ) from None
        sent = not isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
        if sent and not idempotent:
            raise AnswerLost(_lost(what, _described(error)), server=self.server) from None
        if attempt >= self.waits.policy.attempts:
            raise ServerUnreachable(
                f"{what} failed after {attempt} attempt(s): {_described(error)}",
                server=self.server,
            ) from None


_STILL_RUNNING = "the first try of this import still runs on the target (409 in progress)"


def _in_progress(answer: Answer) -> bool:
    if answer.status_code != 409:
        return False
    try:
        body = json.loads(answer.body)
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("errorCode") == IN_PROGRESS


def _described(error: httpx.TransportError) -> str:
    return f"{type(error).__name__}: {error or 'connection lost'}"


def _lost(what: str, how: str) -> str:
    return f"{what} was sent and its answer lost ({how}); it was not sent again"
