"""The HTTP adapter against scripted answers (httpx.MockTransport): retries, Retry-After,
dropped connections, final errors, tokens."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qs

import httpx
import pytest

from adapters.remote.http_optimize_server import HttpOptimizeServer
from adapters.remote.retry import parse_retry_after
from adapters.remote.tokens import ClientCredentialsToken
from application.ports.optimize_server import (
    EntityKind,
    ExportedBatch,
    ServerRefused,
    ServerUnreachable,
)
from tests.unit.client.scripted import (
    PLAIN,
    URL,
    Body,
    Script,
    Sleeps,
    adapter,
    error,
    ok,
    server,
)


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


def test_any_other_4xx_is_final_with_its_error_code_detail_and_extra_fields() -> None:
    script = Script(
        [error(400, "importDefinitionDoesNotExist", "missing", definitions=[{"key": "invoice"}])]
    )
    api, sleeps = server(script)
    with pytest.raises(ServerRefused) as refusal:
        api.import_file(Body(), PLAIN)
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
    return adapter(source, client, Sleeps()), source


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
