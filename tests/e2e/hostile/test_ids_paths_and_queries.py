"""IDs are only IDs, wherever they come: slashes, dots, percent-encoding, unicode, SQL and
template fragments find nothing and change nothing, and import keeping their references. The
text null is an ID too; an empty or null query parameter, and a NUL character in a path or a
query, are a 400."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.builders.wire import dashboard_entity, process_report_entity
from tests.conftest import AUTH
from tests.e2e.hostile.answers import assert_error, assert_handled
from tests.e2e.hostile.sending import (
    JSON,
    PLAIN_REPORT,
    demo_is_intact,
    post_file,
    raw_request,
    send,
    send_json,
)
from tests.e2e.importing import (
    COLLECTIONS,
    DEMO_COLLECTION,
    EXPORT_DASHBOARDS,
    EXPORT_REPORTS,
    IMPORT,
    Client,
    ready_collection,
)

NULL_QUERIES = [
    "/api/public/dashboard?collectionId",
    "/api/public/report?collectionId=",
    f"{IMPORT}?collectionId=",
    f"{IMPORT}?collectionId={DEMO_COLLECTION}&dryRun=null",
    f"{IMPORT}?collectionId={DEMO_COLLECTION}&dryRun=",
    f"{IMPORT}?collectionId={DEMO_COLLECTION}&dryRun=5",
]


def test_an_empty_or_null_query_parameter_is_a_bad_request(
    sqlite_hostile: Client, subtests: pytest.Subtests
) -> None:
    for path in NULL_QUERIES:
        with subtests.test(path=path):
            method = "POST" if path.startswith(IMPORT) else "GET"
            assert_error(send(sqlite_hostile, method, path, b"[]"), 400, "badRequestError")


def test_the_text_null_in_a_query_or_path_is_just_an_id(hostile: Client) -> None:
    assert send(hostile, "GET", "/api/public/dashboard?collectionId=null", None).json() == []
    assert_error(send(hostile, "POST", f"{IMPORT}?collectionId=null", b"[]"), 404, "notFoundError")
    assert_error(send(hostile, "DELETE", "/api/public/report/null", None), 404, "notFoundError")
    assert_error(send(hostile, "GET", f"{COLLECTIONS}/null", None), 404, "notFoundError")


HOSTILE_IDS = [
    "a/b",
    "../123",
    "..",
    ".",
    "%2e%2e",
    "%41",
    "12%",
    "1_3",
    "*",
    "123 ",
    " 123",
    "✓",
    "名前",
    "\U0001d518\U0001d52b",
    "\u202e321",
    "Ab\u0301",
    "' OR '1'='1",
    "123' --",
    "123; DROP TABLE report; --",
    '"; DELETE FROM dashboard; --',
    "1) OR (1=1",
    "\\",
    "\\x00",
    "$where",
    "{{7*7}}",
]


PATH_CHANGING_IDS = {"a/b", "../123", "..", "."}
"""In a path these are no single segment: an encoded slash is decoded before routing (as by
uvicorn), dot segments are resolved by the client. They must still answer the JSON error."""


def _unknown_everywhere(client: Client, entity_id: str) -> None:
    for path, noun, known in (
        (EXPORT_DASHBOARDS, "dashboards", "123"),
        (EXPORT_REPORTS, "reports", PLAIN_REPORT),
    ):
        body = assert_error(send_json(client, "POST", path, [known, entity_id]), 404)
        assert body["detailedMessage"] == f"Could not find {noun} with IDs [{entity_id}]"
    encoded = quote(entity_id, safe="")
    for kind in ("report", "dashboard"):
        deleted = raw_request(client, "DELETE", f"/api/public/{kind}/{encoded}", headers=AUTH)
        if entity_id in PATH_CHANGING_IDS:
            assert deleted.status_code in {404, 405}, deleted.text
            assert_error(deleted, deleted.status_code)
        else:
            body = assert_error(deleted, 404, "notFoundError")
            assert body["detailedMessage"] == f"Could not find {kind}s with IDs [{entity_id}]"
        listed = client.get(f"/api/public/{kind}", params={"collectionId": entity_id}, headers=AUTH)
        assert (listed.status_code, listed.json()) == (200, [])
    imported = client.post(IMPORT, params={"collectionId": entity_id}, content=b"[]", headers=JSON)
    assert_error(imported, 404, "notFoundError")
    got = raw_request(client, "GET", f"{COLLECTIONS}/{encoded}", headers=AUTH)
    if entity_id in PATH_CHANGING_IDS:
        assert_handled(got)
    else:
        assert_error(got, 404, "notFoundError")


def test_hostile_ids_are_just_unknown_ids_everywhere(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    for entity_id in HOSTILE_IDS:
        with subtests.test(entity_id=entity_id):
            _unknown_everywhere(hostile, entity_id)
    demo_is_intact(hostile)


def test_entities_with_hostile_ids_import_and_keep_their_references(hostile: Client) -> None:
    target = ready_collection(hostile)
    reports = [process_report_entity(i) for i in HOSTILE_IDS if i.strip()]
    board = dashboard_entity("'; DROP TABLE dashboard; --", [r["id"] for r in reports])
    response = post_file(hostile, target, [*reports, board])
    assert response.status_code == 200, response.text
    answer = response.json()
    assert [item["sourceId"] for item in answer] == [*[r["id"] for r in reports], board["id"]]
    exported = send_json(hostile, "POST", EXPORT_DASHBOARDS, [answer[-1]["id"]]).json()
    assert len(exported) == len(reports) + 1
    demo_is_intact(hostile)


NUL_PATHS = [
    ("DELETE", "/api/public/report/a%00b"),
    ("DELETE", "/api/public/dashboard/%00"),
    ("GET", f"{COLLECTIONS}/a%00b"),
    ("GET", "/api/public/dashboard?collectionId=a%00b"),
    ("GET", "/api/public/report?collectionId=%00"),
    ("GET", "/api/public/report?collectionId=c&x%00=1"),
    ("POST", f"{IMPORT}?collectionId=a%00b"),
    ("PUT", f"{COLLECTIONS}/a%00b/scope"),
]


def test_a_nul_character_in_a_path_or_query_is_a_bad_request(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path in NUL_PATHS:
        with subtests.test(method=method, path=path):
            response = raw_request(hostile, method, path, content=b"[]", headers=JSON)
            body = assert_error(response, 400, "badRequestError")
            assert "NUL" in body["detailedMessage"]
    demo_is_intact(hostile)
