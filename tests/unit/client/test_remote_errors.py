"""What a failed call says: one line naming the server it came from, never a page's body; each
wait before a retry said; a wait longer than allowed, a token server that fails, and TLS to a
plain-HTTP port each ended with a message of their own."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from adapters.remote.http_calls import HttpCalls, TlsFailure
from adapters.remote.http_optimize_server import HttpOptimizeServer
from adapters.remote.retry import RetryPolicy, Waits
from adapters.remote.tokens import ClientCredentialsToken, StaticToken
from application.ports.optimize_server import EntityKind, ServerRefused, ServerUnreachable
from tests.client_fakes import RecordingProgress
from tests.unit.client.scripted import URL, Sleeps, error, ok, scripted

PAGE = "<html><body>Welcome to the company portal: secret-looking text</body></html>"


def test_a_refusal_names_the_server_it_came_from() -> None:
    run = scripted([error(401, "notAuthorizedError", "wrong token")] * 2)
    with pytest.raises(ServerRefused) as refusal:
        run.api.list_ids(EntityKind.REPORT, "c")
    assert refusal.value.server == "target http://optimize.invalid"


def test_a_server_never_reached_is_named_too() -> None:
    run = scripted([httpx.ConnectError("refused")] * 2, attempts=2)
    with pytest.raises(ServerUnreachable) as unreachable:
        run.api.list_ids(EntityKind.REPORT, "c")
    assert unreachable.value.server == "target http://optimize.invalid"


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (httpx.Response(404, text=PAGE, headers={"Content-Type": "text/html"}), 404),
        (httpx.Response(200, text=PAGE, headers={"Content-Type": "text/html"}), 200),
    ],
    ids=["404-page", "200-page"],
)
def test_a_target_that_is_not_an_optimize_api_gets_one_line_naming_the_url(
    answer: httpx.Response, status: int
) -> None:
    run = scripted([answer])
    with pytest.raises(ServerRefused) as refusal:
        run.api.list_ids(EntityKind.DASHBOARD, "c")
    message = refusal.value.detailed_message
    assert refusal.value.error_code == "notAnOptimizeApi"
    assert f"answered {status} with text/html, not the Optimize API's JSON" in message
    assert f"is {URL} the address of an Optimize API?" in message
    assert "portal" not in message
    assert "\n" not in message


def test_a_gateways_error_page_is_not_shown_either() -> None:
    page = httpx.Response(502, text=PAGE, headers={"Content-Type": "text/html"})
    run = scripted([page] * 2, attempts=2)
    with pytest.raises(ServerRefused) as refusal:
        run.api.list_ids(EntityKind.DASHBOARD, "c")
    assert refusal.value.detailed_message.endswith("answered 502 without the API's error body")


def test_each_wait_is_said_with_its_length_and_its_cause() -> None:
    run = scripted([httpx.Response(429, headers={"Retry-After": "30"}), ok([])])
    run.api.list_ids(EntityKind.DASHBOARD, "c")
    assert run.progress.waits == ["waiting 30 s: the target answered 429"]
    assert run.sleeps.waited == [30.0]


def test_a_retry_after_longer_than_the_longest_wait_ends_the_run_without_waiting() -> None:
    run = scripted([httpx.Response(503, headers={"Retry-After": "600"}), ok([])], max_wait=300)
    with pytest.raises(ServerRefused) as refusal:
        run.api.list_ids(EntityKind.DASHBOARD, "c")
    message = refusal.value.detailed_message
    assert "asked to wait 600 s" in message
    assert "BOARDPORT_CLIENT_MAX_WAIT_SECONDS (300)" in message
    assert run.sleeps.waited == []
    assert len(run.script.requests) == 1


# -- the token server -------------------------------------------------------------------------


def token_api(answers: list[httpx.Response | Exception]) -> tuple[HttpOptimizeServer, Sleeps]:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            given = answers.pop(0)
            if isinstance(given, Exception):
                raise given
            return given
        return ok([])

    client, sleeps = httpx.Client(transport=httpx.MockTransport(answer)), Sleeps()
    waits = Waits(RetryPolicy(attempts=3), RecordingProgress(), sleeps)
    tokens = ClientCredentialsToken(
        client, f"{URL}/oauth/token", client_id="a", client_secret="b", audience=None, waits=waits
    )
    return HttpOptimizeServer(HttpCalls(URL, "source", tokens, client, waits)), sleeps


@pytest.mark.parametrize(
    "fault",
    [httpx.Response(503), httpx.ConnectError("reset"), httpx.ReadTimeout("slow")],
    ids=["503", "reset", "timeout"],
)
def test_the_token_server_is_retried_as_any_server_is(fault: httpx.Response | Exception) -> None:
    api, sleeps = token_api([fault, ok({"access_token": "t", "expires_in": 300})])
    assert api.list_ids(EntityKind.REPORT, "c") == []
    assert len(sleeps.waited) == 1


def test_a_token_server_that_keeps_failing_ends_with_its_own_message() -> None:
    api, _ = token_api([httpx.Response(503, text="down")] * 3)
    with pytest.raises(ServerRefused) as refusal:
        api.list_ids(EntityKind.REPORT, "c")
    assert refusal.value.error_code == "tokenRequestFailed"
    assert refusal.value.detailed_message.startswith(
        f"the token server {URL}/oauth/token answered 503 after 3 attempt(s)"
    )
    assert refusal.value.server == f"source {URL}"


def test_a_token_server_never_reached_ends_with_its_own_message() -> None:
    api, _ = token_api([httpx.ConnectError("refused")] * 3)
    with pytest.raises(ServerUnreachable, match="could not be reached after 3 attempt") as down:
        api.list_ids(EntityKind.REPORT, "c")
    assert "the token server" in str(down.value)
    assert down.value.server == f"source {URL}"


# -- TLS to a plain-HTTP port -----------------------------------------------------------------


class _Plain(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet."""


@pytest.fixture
def plain_http_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Plain)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_tls_to_a_plain_http_port_fails_at_once_with_a_hint(plain_http_port: int) -> None:
    url = f"https://127.0.0.1:{plain_http_port}"
    sleeps = Sleeps()
    waits = Waits(RetryPolicy(attempts=4), RecordingProgress(), sleeps)
    calls = HttpCalls(url, "target", StaticToken("t"), httpx.Client(timeout=10), waits)
    with pytest.raises(
        TlsFailure, match=r"answered the TLS handshake in plain HTTP .*is it http://\?"
    ):
        HttpOptimizeServer(calls).list_ids(EntityKind.REPORT, "c")
    assert sleeps.waited == []
