"""A server's answers scripted for the HTTP adapter's tests (httpx.MockTransport), and what the
adapter did with them: its requests, its waits, what it said."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx

from adapters.remote.http_calls import HttpCalls
from adapters.remote.http_optimize_server import HttpOptimizeServer
from adapters.remote.retry import RetryPolicy, Waits
from adapters.remote.tokens import StaticToken, TokenSource
from application.ports.optimize_server import ImportBody, ImportRequest
from tests.client_fakes import RecordingProgress

URL = "http://optimize.invalid"
Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class Script:
    """Answers requests from a list, in turn; records what was asked."""

    answers: list[httpx.Response | Exception]
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@dataclass
class Sleeps:
    waited: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.waited.append(seconds)


def adapter(
    tokens: TokenSource,
    client: httpx.Client,
    sleeps: Sleeps,
    *,
    attempts: int = 4,
    max_wait: float = 300.0,
    progress: RecordingProgress | None = None,
) -> HttpOptimizeServer:
    policy = RetryPolicy(attempts=attempts, max_wait=max_wait)
    waits = Waits(policy, progress or RecordingProgress(), sleeps)
    return HttpOptimizeServer(HttpCalls(URL, "target", tokens, client, waits))


def server(
    script: Handler,
    *,
    token: str = "static-token",  # noqa: S107
    attempts: int = 4,
) -> tuple[HttpOptimizeServer, Sleeps]:
    sleeps = Sleeps()
    client = httpx.Client(transport=httpx.MockTransport(script))
    return adapter(StaticToken(token), client, sleeps, attempts=attempts), sleeps


PLAIN = ImportRequest("c")
CONVERGING = ImportRequest("c", overwrite=True, source="http://s c", idempotency_key="k-1")


def ok(body: object) -> httpx.Response:
    return httpx.Response(200, json=body)


def error(status: int, code: str, detail: str, **extra: object) -> httpx.Response:
    return httpx.Response(
        status,
        json={"errorCode": code, "errorMessage": "…", "detailedMessage": detail, **extra},
    )


@dataclass
class Body(ImportBody):
    data: bytes = b"[]"

    def chunks(self) -> Iterator[bytes]:
        yield self.data


@dataclass
class Scripted:
    """An adapter answered by a script, with what it waited and said."""

    api: HttpOptimizeServer
    script: Script
    sleeps: Sleeps
    progress: RecordingProgress


def scripted(
    answers: list[httpx.Response | Exception], *, attempts: int = 4, max_wait: float = 300.0
) -> Scripted:
    script, sleeps, progress = Script(answers), Sleeps(), RecordingProgress()
    client = httpx.Client(transport=httpx.MockTransport(script))
    api = adapter(
        StaticToken("static-token"),
        client,
        sleeps,
        attempts=attempts,
        max_wait=max_wait,
        progress=progress,
    )
    return Scripted(api, script, sleeps, progress)
