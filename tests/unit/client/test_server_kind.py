"""Whether a target is a boardport, asked once: by the X-Boardport-Version header of an /api
answer, else by the OpenAPI title. When neither can be read, the run stops: it never falls
back to creating copies."""

from __future__ import annotations

import httpx
import pytest

from application.ports.optimize_server import ServerKind, ServerKindUnknown
from tests.unit.client.scripted import ok, scripted

SAYS_BOARDPORT = {"X-Boardport-Version": "0.2.0"}
TITLED = ok({"openapi": "3.1.0", "info": {"title": "boardport"}})


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, headers=SAYS_BOARDPORT),
        httpx.Response(503, headers=SAYS_BOARDPORT),  # its database is down: still a boardport
        httpx.Response(401, headers=SAYS_BOARDPORT),
    ],
    ids=["ready", "not-ready", "refused"],
)
def test_a_boardport_says_so_on_any_api_answer_asked_once_without_a_token(
    answer: httpx.Response,
) -> None:
    run = scripted([answer])
    assert run.api.kind() is ServerKind.BOARDPORT
    assert run.api.kind() is ServerKind.BOARDPORT
    assert len(run.script.requests) == 1
    assert run.script.requests[0].url.path == "/api/readyz"
    assert "Authorization" not in run.script.requests[0].headers


def test_a_boardport_behind_a_gateway_that_routes_only_api_is_still_known() -> None:
    run = scripted([httpx.Response(200, headers=SAYS_BOARDPORT)])
    assert run.api.kind() is ServerKind.BOARDPORT  # /schema/openapi.json was never needed


def test_a_boardport_known_by_its_openapi_title_only_is_an_earlier_one() -> None:
    run = scripted([httpx.Response(200), TITLED])
    assert run.api.kind() is ServerKind.EARLIER_BOARDPORT
    assert [r.url.path for r in run.script.requests] == ["/api/readyz", "/schema/openapi.json"]


@pytest.mark.parametrize(
    "api_answer",
    [httpx.Response(200, json={"status": "UP"}), httpx.Response(404, text="<html>")],
    ids=["optimize-8", "optimize-3"],
)
@pytest.mark.parametrize(
    "openapi_answer",
    [
        httpx.Response(404, text="<html>"),
        ok({"info": {"title": "Optimize"}}),
        httpx.Response(200, text="nope"),
    ],
    ids=["404", "another-title", "not-json"],
)
def test_a_server_that_answers_both_and_says_boardport_in_neither_is_an_optimize(
    api_answer: httpx.Response, openapi_answer: httpx.Response
) -> None:
    assert scripted([api_answer, openapi_answer]).api.kind() is ServerKind.OPTIMIZE


@pytest.mark.parametrize(
    ("api_answers", "openapi_answers"),
    [
        ([httpx.Response(503)] * 3, [httpx.Response(404)]),
        ([httpx.Response(502, text="<html>")] * 3, [httpx.Response(502)] * 3),
        ([httpx.ConnectError("refused")] * 3, []),
        ([httpx.Response(200)], [httpx.Response(503)] * 3),
    ],
    ids=["api-503-openapi-404", "both-502", "down", "openapi-503"],
)
def test_when_neither_way_can_be_read_the_run_stops_rather_than_guess(
    api_answers: list[httpx.Response | Exception],
    openapi_answers: list[httpx.Response | Exception],
) -> None:
    run = scripted([*api_answers, *openapi_answers], attempts=3)
    with pytest.raises(ServerKindUnknown) as unknown:
        run.api.kind()
    assert "cannot tell whether http://optimize.invalid is a boardport" in str(unknown.value)
    assert "would get copies" in str(unknown.value)
    assert unknown.value.server == "target http://optimize.invalid"


def test_a_5xx_without_the_header_is_tried_again_before_it_is_believed() -> None:
    run = scripted([httpx.Response(503), httpx.Response(200, headers=SAYS_BOARDPORT)])
    assert run.api.kind() is ServerKind.BOARDPORT
    assert run.progress.waits == [run.progress.waits[0]]
    assert "the target answered 503" in run.progress.waits[0]
