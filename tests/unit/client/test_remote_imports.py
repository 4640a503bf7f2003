"""An import over HTTP: with an Idempotency-Key, any fault is retried with the same key and the
same body; without one (Optimize, --new-copies), an import that may have been acted on is
never sent again, and says so."""

from __future__ import annotations

from urllib.parse import parse_qs

import httpx
import pytest

from application.ports.optimize_server import AnswerLost, ImportRequest, ServerRefused
from tests.unit.client.scripted import CONVERGING, PLAIN, Body, error, ok, scripted

ANSWER = [{"id": "n", "entityType": "report", "sourceId": "s", "action": "created"}]
FILE = b'[{"id": "s"}]'


@pytest.mark.parametrize(
    "fault",
    [
        httpx.Response(502, text="<html>bad gateway</html>"),
        error(503, "serviceUnavailableError", "the proxy forwarded it, then gave up"),
        httpx.Response(504),
        httpx.ReadError("connection reset after the body was sent"),
        httpx.ReadTimeout("no answer within the timeout"),
        httpx.RemoteProtocolError("the answer was cut mid-way"),
    ],
    ids=["502", "503", "504", "reset", "timeout", "cut"],
)
def test_an_import_with_a_key_is_sent_again_with_the_same_key_and_body_after_any_fault(
    fault: httpx.Response | Exception,
) -> None:
    run = scripted([fault, ok(ANSWER)])
    items = run.api.import_file(Body(FILE), CONVERGING)
    assert [(i.id, i.source_id, i.action) for i in items] == [("n", "s", "created")]
    assert [r.content for r in run.script.requests] == [FILE, FILE]
    assert [r.headers["Idempotency-Key"] for r in run.script.requests] == ["k-1", "k-1"]
    assert len(run.progress.waits) == 1


def test_an_import_asks_for_what_the_request_says_in_its_query() -> None:
    run = scripted([ok(ANSWER)])
    request = ImportRequest(
        "c", dry_run=True, overwrite=True, prune=True, prepare=True, source="http://s c"
    )
    run.api.import_file(Body(FILE), request)
    assert parse_qs(run.script.requests[0].url.query.decode()) == {
        "collectionId": ["c"],
        "dryRun": ["true"],
        "overwrite": ["true"],
        "prune": ["true"],
        "prepare": ["true"],
        "source": ["http://s c"],
    }
    assert "Idempotency-Key" not in run.script.requests[0].headers


def test_a_plain_import_sends_no_extension_and_no_key() -> None:
    run = scripted([ok([])])
    run.api.import_file(Body(), PLAIN)
    assert parse_qs(run.script.requests[0].url.query.decode()) == {"collectionId": ["c"]}
    assert "Idempotency-Key" not in run.script.requests[0].headers


@pytest.mark.parametrize(
    "fault",
    [
        httpx.Response(502, text="bad gateway"),
        error(503, "serviceUnavailableError", "busy"),
        httpx.Response(504),
        httpx.ReadError("connection reset"),
        httpx.RemoteProtocolError("the answer was cut mid-way"),
    ],
    ids=["502", "503", "504", "reset", "cut"],
)
def test_a_plain_import_that_may_have_been_acted_on_is_lost_not_sent_again(
    fault: httpx.Response | Exception,
) -> None:
    run = scripted([fault, ok([])])
    with pytest.raises(AnswerLost, match="was sent and its answer lost"):
        run.api.import_file(Body(), PLAIN)
    assert len(run.script.requests) == 1


@pytest.mark.parametrize(
    "fault",
    [httpx.ConnectError("refused"), httpx.Response(429, headers={"Retry-After": "1"})],
    ids=["never-connected", "429"],
)
def test_a_plain_import_the_server_surely_did_not_act_on_is_sent_again(
    fault: httpx.Response | Exception,
) -> None:
    run = scripted([fault, ok([])])
    run.api.import_file(Body(), PLAIN)
    assert len(run.script.requests) == 2


def test_a_key_whose_first_try_still_runs_is_waited_out_beyond_the_attempts() -> None:
    in_progress = error(409, "idempotencyKeyInProgress", "the first request still runs")
    in_progress.headers["Retry-After"] = "1"
    run = scripted([httpx.ReadTimeout("slow"), *[in_progress] * 5, ok(ANSWER)], attempts=2)
    assert [i.id for i in run.api.import_file(Body(FILE), CONVERGING)] == ["n"]
    assert run.sleeps.waited[1:] == [1.0] * 5
    assert all("still runs" in w for w in run.progress.waits[1:])


def test_a_key_sent_with_another_body_is_a_final_error() -> None:
    run = scripted([error(422, "idempotencyKeyReused", "another request had this key")])
    with pytest.raises(ServerRefused) as refusal:
        run.api.import_file(Body(FILE), CONVERGING)
    assert refusal.value.error_code == "idempotencyKeyReused"
    assert len(run.script.requests) == 1
