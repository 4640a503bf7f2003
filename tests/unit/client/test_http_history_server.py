"""Another boardport's history over HTTP (adapters/remote/http_history_server.py) against scripted
answers: the contract's paths, its JSON read into the domain's types, a revert's Idempotency-Key
kept on every retry, and an answer that is not the contract's refused in one line."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count

import httpx
import pytest

from adapters.remote.http_calls import HttpCalls
from adapters.remote.http_history_server import HttpHistoryServer
from adapters.remote.retry import RetryPolicy, Waits
from adapters.remote.tokens import StaticToken
from application.ports.optimize_server import ServerRefused
from domain.entity_changes import ABSENT, Change, EntityChanges
from domain.history import ChangeCounts, ChangeSummary, EntityKey, RevisionEntry
from domain.import_plan import ImportedItem
from tests.client_fakes import RecordingProgress
from tests.unit.client.scripted import URL, Script, Sleeps, error, ok

CHANGE = {
    "id": "12",
    "kind": "import",
    "at": "2025-03-04T05:06:07.890Z",
    "actor": "alice (bot)",
    "collectionId": "c-1",
    "counts": {"created": 1, "updated": 2, "deleted": 0},
}
AT = datetime(2025, 3, 4, 5, 6, 7, 890_000, tzinfo=UTC)
REPORT = EntityKey("report", "r 1/x")


def history(answers: list[httpx.Response | Exception]) -> tuple[HttpHistoryServer, Script]:
    script = Script(answers)
    client = httpx.Client(transport=httpx.MockTransport(script))
    waits = Waits(RetryPolicy(attempts=4), RecordingProgress(), Sleeps())
    keys = count(1)
    calls = HttpCalls(URL, "server", StaticToken("static-token"), client, waits)
    return HttpHistoryServer(calls, lambda: f"key-{next(keys)}"), script


def test_changes_ask_for_a_collection_and_a_limit_and_read_the_domains_summaries() -> None:
    api, script = history([ok([CHANGE])])
    assert api.changes("c-1", 5) == [
        ChangeSummary("12", "import", AT, "alice (bot)", "c-1", ChangeCounts(1, 2, 0))
    ]
    (request,) = script.requests
    assert request.url == f"{URL}/api/public/change?limit=5&collectionId=c-1"
    assert request.headers["Authorization"] == "Bearer static-token"


def test_every_collections_changes_send_no_collection() -> None:
    api, script = history([ok([])])
    assert api.changes(None, 50) == []
    assert script.requests[0].url == f"{URL}/api/public/change?limit=50"


def test_revisions_of_an_entity_quote_its_id_in_the_path() -> None:
    listed = [
        {
            "revision": 2,
            "changeId": "12",
            "at": CHANGE["at"],
            "actor": "token",
            "action": "updated",
        },
        {"revision": 1, "changeId": None, "at": CHANGE["at"], "actor": None, "action": "created"},
    ]
    api, script = history([ok(listed)])
    assert api.revisions(REPORT) == [
        RevisionEntry(2, "12", AT, "token", "updated"),
        RevisionEntry(1, None, AT, None, "created"),
    ]
    assert script.requests[0].url.raw_path == b"/api/public/report/r%201%2Fx/revision"


def test_a_revision_is_the_answers_bytes_as_they_came() -> None:
    body = b'{"id":"r","name":"n\\u00e9","data":{}}'
    api, script = history([httpx.Response(200, content=body)])
    assert api.revision(EntityKey("dashboard", "d"), 3) == body
    assert script.requests[0].url.path == "/api/public/dashboard/d/revision/3"


def test_a_diff_asks_for_the_later_revision_when_given_and_keeps_absent_sides_absent() -> None:
    answer = {"changes": [{"path": "name", "before": "a", "after": "b"}, {"path": "x", "after": 1}]}
    api, script = history([ok(answer), ok({"changes": [], "changesOmitted": 4})])
    assert api.diff(REPORT, 1, 3) == EntityChanges(
        (Change("name", "a", "b"), Change("x", ABSENT, 1))
    )
    assert api.diff(REPORT, 1, None) == EntityChanges((), 4)
    first, second = script.requests
    assert first.url.params["to"] == "3"
    assert "to" not in second.url.params


def test_a_revert_sends_one_key_and_the_same_key_on_each_retry() -> None:
    item = {"id": "r", "entityType": "report", "sourceId": "r", "action": "updated"}
    lost = error(503, "serviceUnavailableError", "busy")
    api, script = history([lost, httpx.ReadError("dropped"), ok([item]), ok([item])])
    assert api.revert("12", dry_run=False, force=True) == [
        ImportedItem("r", "report", "r", action="updated")
    ]
    tries = script.requests
    assert [r.url.path for r in tries] == ["/api/public/change/12/revert"] * 3
    assert {r.headers["Idempotency-Key"] for r in tries} == {"key-1"}
    assert tries[0].url.params["force"] == "true"
    assert "dryRun" not in tries[0].url.params
    api.revert("12", dry_run=False, force=False)
    assert script.requests[3].headers["Idempotency-Key"] == "key-2"  # a new revert, a new key
    assert "force" not in script.requests[3].url.params


def test_a_revert_dry_run_sends_no_key_and_may_be_sent_again() -> None:
    api, script = history([httpx.ReadError("dropped"), ok([])])
    assert api.revert("12", dry_run=True, force=False) == []
    assert [r.url.params["dryRun"] for r in script.requests] == ["true", "true"]
    assert all("Idempotency-Key" not in r.headers for r in script.requests)


def test_a_revert_conflict_is_refused_with_the_entities_it_names() -> None:
    conflicted = [{"id": "r", "type": "report", "name": "R", "changeId": "14"}]
    api, script = history([error(409, "revertConflict", "later", conflictedItems=conflicted)])
    with pytest.raises(ServerRefused) as refused:
        api.revert("12", dry_run=False, force=False)
    assert (refused.value.status, refused.value.error_code) == (409, "revertConflict")
    assert refused.value.extra == {"conflictedItems": conflicted}
    assert refused.value.server == f"server {URL}"
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    "answer",
    [httpx.Response(200, content=b"<html>hello</html>"), ok([{"id": "12", "kind": "import"}])],
    ids=["not-json", "missing-fields"],
)
def test_an_answer_that_is_not_the_history_api_is_refused_in_one_line(
    answer: httpx.Response,
) -> None:
    api, _ = history([answer])
    with pytest.raises(ServerRefused) as refused:
        api.changes(None, 5)
    assert "answered what the history API does not" in refused.value.detailed_message
    assert "keeps history" in refused.value.detailed_message


def test_a_diff_without_its_changes_is_refused() -> None:
    api, _ = history([ok({"changes": "none"})])
    with pytest.raises(ServerRefused, match="a diff without its changes"):
        api.diff(REPORT, 1, None)
