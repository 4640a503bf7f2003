"""The HTTP adapter against scripted answers (httpx.MockTransport): retries, Retry-After,
dropped connections, final errors, tokens."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qs

import httpx
import pytest

from adapters.remote.http_optimize_server import HttpOptimizeServer
from adapters.remote.retry import RetryPolicy, parse_retry_after
from adapters.remote.tokens import ClientCredentialsToken, StaticToken
from application.ports.optimize_server import (
    EntityKind,
    ExportedBatch,
    ImportBody,
    ServerRefused,
    ServerUnreachable,
)

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


def server(
    script: Handler,
    *,
    token: str = "static-token",  # noqa: S107
    attempts: int = 4,
) -> tuple[HttpOptimizeServer, Sleeps]:
    sleeps = Sleeps()
    client = httpx.Client(transport=httpx.MockTransport(script))
    return (
        HttpOptimizeServer(
            URL, StaticToken(token), client, policy=RetryPolicy(attempts=attempts), sleep=sleeps
        ),
        sleeps,
    )


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


def test_every_call_carries_token_user_agent_and_json_content_type() -> None:
    script = Script([ok([{"id": "d1"}])])
    api, _ = server(script)
    assert list(api.export(EntityKind.DASHBOARD, ["d1"])) == [{"id": "d1"}]
    request = script.requests[0]
    assert request.url == f"{URL}/api/public/export/dashboard/definition/json"
    assert request.headers["Authorization"] == "Bearer static-token"
    assert request.headers["User-Agent"].startswith("boardport/")
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == ["d1"]


def test_503_twice_then_success_is_retried_with_growing_waits() -> None:
    busy: list[httpx.Response | Exception] = [error(503, "serviceUnavailableError", "busy")] * 2
    script = Script([*busy, ok([{"id": "a"}])])
    api, sleeps = server(script)
    assert api.list_ids(EntityKind.REPORT, "c") == ["a"]
    assert len(script.requests) == 3
    assert len(sleeps.waited) == 2
    assert 0.25 <= sleeps.waited[0] <= 0.5
    assert 0.5 <= sleeps.waited[1] <= 1.0


def test_429_waits_as_long_as_retry_after_says() -> None:
    script = Script([httpx.Response(429, headers={"Retry-After": "7"}), ok([])])
    api, sleeps = server(script)
    api.list_ids(EntityKind.DASHBOARD, "c")
    assert sleeps.waited == [7.0]


def test_retries_are_bounded_and_the_last_answer_is_reported() -> None:
    script = Script([error(503, "serviceUnavailableError", "still busy")] * 4)
    api, sleeps = server(script, attempts=4)
    with pytest.raises(ServerRefused) as refusal:
        api.list_ids(EntityKind.DASHBOARD, "c")
    assert refusal.value.status == 503
    assert refusal.value.detailed_message == "still busy"
    assert len(script.requests) == 4
    assert len(sleeps.waited) == 3


def test_a_connection_dropped_mid_export_is_retried() -> None:
    script = Script([httpx.RemoteProtocolError("peer closed connection"), ok([{"id": "r"}])])
    api, _ = server(script)
    assert list(api.export(EntityKind.REPORT, ["r"])) == [{"id": "r"}]


def test_a_server_never_reached_is_unreachable_after_the_bounded_retries() -> None:
    script = Script([httpx.ConnectError("refused")] * 3)
    api, _ = server(script, attempts=3)
    with pytest.raises(ServerUnreachable, match="after 3 attempt"):
        api.list_ids(EntityKind.REPORT, "c")


def test_a_plain_import_whose_connection_dropped_is_not_sent_twice() -> None:
    script = Script([httpx.ReadError("connection reset"), ok([])])
    api, _ = server(script)
    with pytest.raises(ServerUnreachable):
        api.import_file("c", Body(), dry_run=False, overwrite=False)
    assert len(script.requests) == 1


def test_an_overwrite_import_whose_connection_dropped_is_sent_again() -> None:
    script = Script(
        [
            httpx.ReadError("connection reset"),
            ok([{"id": "n", "entityType": "report", "sourceId": "s", "action": "created"}]),
        ]
    )
    api, _ = server(script)
    items = api.import_file("c", Body(b'[{"id": "s"}]'), dry_run=False, overwrite=True)
    assert [(i.id, i.source_id, i.action) for i in items] == [("n", "s", "created")]
    assert [r.content for r in script.requests] == [b'[{"id": "s"}]'] * 2
    assert parse_qs(script.requests[1].url.query.decode()) == {
        "collectionId": ["c"],
        "overwrite": ["true"],
    }


def test_a_plain_import_answered_503_is_retried_since_the_server_did_not_act() -> None:
    script = Script([error(503, "serviceUnavailableError", "busy"), ok([])])
    api, _ = server(script)
    api.import_file("c", Body(), dry_run=False, overwrite=False)
    assert len(script.requests) == 2


def test_a_plain_import_answered_502_is_not_retried() -> None:
    script = Script([httpx.Response(502, text="bad gateway"), ok([])])
    api, _ = server(script)
    with pytest.raises(ServerRefused) as refusal:
        api.import_file("c", Body(), dry_run=False, overwrite=False)
    assert refusal.value.status == 502
    assert len(script.requests) == 1


def test_any_other_4xx_is_final_with_its_error_code_detail_and_extra_fields() -> None:
    script = Script(
        [error(400, "importDefinitionDoesNotExist", "missing", definitions=[{"key": "invoice"}])]
    )
    api, sleeps = server(script)
    with pytest.raises(ServerRefused) as refusal:
        api.import_file("c", Body(), dry_run=False, overwrite=False)
    assert refusal.value.error_code == "importDefinitionDoesNotExist"
    assert refusal.value.detailed_message == "missing"
    assert refusal.value.extra == {"definitions": [{"key": "invoice"}]}
    assert sleeps.waited == []


def test_a_delete_of_an_entity_the_server_does_not_know_is_false() -> None:
    script = Script([error(404, "notFoundError", "gone"), httpx.Response(204)])
    api, _ = server(script)
    assert api.delete(EntityKind.REPORT, "a/b") is False
    assert api.delete(EntityKind.DASHBOARD, "x") is True
    assert script.requests[0].url.raw_path == b"/api/public/report/a%2Fb"


def test_a_boardport_is_known_by_its_openapi_document_and_asked_once() -> None:
    script = Script([ok({"openapi": "3.1.0", "info": {"title": "boardport"}})])
    api, _ = server(script)
    assert api.is_boardport() is True
    assert api.is_boardport() is True
    assert len(script.requests) == 1
    assert "Authorization" not in script.requests[0].headers


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(404, text="<html>"),
        ok({"info": {"title": "Optimize"}}),
        httpx.Response(200, text="nope"),
    ],
)
def test_any_other_server_is_an_optimize(answer: httpx.Response) -> None:
    api, _ = server(Script([answer]))
    assert api.is_boardport() is False


def test_retry_after_may_be_an_http_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:05 GMT", now) == 5.0
    assert parse_retry_after("soon", now) is None


# -- tokens -----------------------------------------------------------------------------------


@dataclass
class TokenServer:
    """Issues numbered tokens; the API accepts only the newest, unless told to accept any."""

    lifetime: int = 300
    issued: list[str] = field(default_factory=list)
    forms: list[dict[str, list[str]]] = field(default_factory=list)
    revoke_first: bool = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if request.url.path == "/oauth/token":
            self.forms.append(parse_qs(request.content.decode()))
            self.issued.append(f"token-{len(self.issued) + 1}")
            return ok(
                {
                    "access_token": self.issued[-1],
                    "expires_in": self.lifetime,
                    "token_type": "Bearer",
                }
            )
        presented = request.headers.get("Authorization", "")
        if self.revoke_first and presented == "Bearer token-1":
            return error(401, "notAuthorizedError", "expired")
        return ok([{"id": presented}])


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


def credentials_server(
    tokens: TokenServer, clock: Clock
) -> tuple[HttpOptimizeServer, ClientCredentialsToken]:
    client = httpx.Client(transport=httpx.MockTransport(tokens))
    source = ClientCredentialsToken(
        client,
        f"{URL}/oauth/token",
        client_id="my-client",
        client_secret="my-secret",
        audience="optimize-api",
        clock=clock,
    )
    return HttpOptimizeServer(URL, source, client, sleep=Sleeps()), source


def test_the_client_credentials_grant_is_form_encoded_and_its_token_cached() -> None:
    tokens, clock = TokenServer(), Clock()
    api, source = credentials_server(tokens, clock)
    assert api.list_ids(EntityKind.REPORT, "c") == ["Bearer token-1"]
    assert api.list_ids(EntityKind.REPORT, "c") == ["Bearer token-1"]
    assert source.fetches == 1
    assert tokens.forms == [
        {
            "grant_type": ["client_credentials"],
            "client_id": ["my-client"],
            "client_secret": ["my-secret"],
            "audience": ["optimize-api"],
        }
    ]


def test_a_token_is_renewed_shortly_before_it_expires() -> None:
    tokens, clock = TokenServer(lifetime=300), Clock()
    api, _ = credentials_server(tokens, clock)
    api.list_ids(EntityKind.REPORT, "c")
    clock.now += 269
    assert api.list_ids(EntityKind.REPORT, "c") == ["Bearer token-1"]
    clock.now += 2
    assert api.list_ids(EntityKind.REPORT, "c") == ["Bearer token-2"]


def test_a_token_refused_mid_run_is_fetched_once_more() -> None:
    tokens, clock = TokenServer(revoke_first=True), Clock()
    api, source = credentials_server(tokens, clock)
    assert api.list_ids(EntityKind.REPORT, "c") == ["Bearer token-2"]
    assert source.fetches == 2


def test_a_401_after_the_refresh_is_final() -> None:
    script = Script([error(401, "notAuthorizedError", "wrong token")] * 2)
    api, _ = server(script)
    with pytest.raises(ServerRefused) as refusal:
        api.list_ids(EntityKind.REPORT, "c")
    assert refusal.value.error_code == "notAuthorizedError"
    assert len(script.requests) == 2


def test_a_token_server_that_refuses_is_reported_with_its_answer() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": "invalid_client"})

    client = httpx.Client(transport=httpx.MockTransport(refuse))
    source = ClientCredentialsToken(
        client, f"{URL}/oauth/token", client_id="a", client_secret="b", audience=None
    )
    with pytest.raises(ServerRefused, match="invalid_client"):
        source.token()


def test_an_export_keeps_each_entity_as_the_server_wrote_it_and_parsed() -> None:
    body = b'[ {"name":"caf\\u00e9", "id":"r1"} ,\n{"id":"d1","reportIds":["r1"]}]'
    adapter, _ = server(lambda _request: httpx.Response(200, content=body))
    batch = adapter.export(EntityKind.DASHBOARD, ["d1"])
    assert isinstance(batch, ExportedBatch)
    assert [bytes(text) for text in batch.texts] == [
        b'{"name":"caf\\u00e9", "id":"r1"}',
        b'{"id":"d1","reportIds":["r1"]}',
    ]
    assert list(batch) == [{"name": "café", "id": "r1"}, {"id": "d1", "reportIds": ["r1"]}]


def test_an_export_answered_with_something_not_a_list_is_refused() -> None:
    adapter, _ = server(lambda _request: httpx.Response(200, content=b'{"id":"d1"}'))
    with pytest.raises(ServerRefused):
        adapter.export(EntityKind.DASHBOARD, ["d1"])
