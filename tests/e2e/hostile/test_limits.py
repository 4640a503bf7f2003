"""Limits on what one request may hold (issue 5): a body's size and JSON depth, the IDs of one
export and the entities of one import, the lengths of names, descriptions, IDs and definition
keys. Past a limit the answer is the contract's error naming it (and its setting, where it has
one); within it, the request goes through."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.builders.wire import dashboard_entity, process_report_entity
from tests.e2e.hostile.answers import assert_error, assert_handled
from tests.e2e.hostile.sending import BODY_ENDPOINTS, JSON, SCOPE, post_file, send, send_json
from tests.e2e.importing import (
    COLLECTIONS,
    DEFINITIONS,
    EXPORT_DASHBOARDS,
    EXPORT_REPORTS,
    Client,
    ready_collection,
)


def test_a_body_above_the_configured_limit_is_request_too_large(
    make_sqlite_client: Callable[..., Client], subtests: pytest.Subtests
) -> None:
    client = make_sqlite_client(max_body_bytes=1024)
    too_large = json.dumps(["x" * 2000]).encode()
    at_limit = json.dumps(["y" * 1000]).encode()
    assert len(at_limit) <= 1024

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds all the same
        yield b'["'
        for _ in range(40):
            yield b"x" * 100
        yield b'"]'

    for method, path, _, _ in BODY_ENDPOINTS:
        with subtests.test(method=method, path=path):
            assert_error(send(client, method, path, too_large), 413, "requestTooLarge")
            chunked = client.request(method, path, content=chunks(), headers=JSON)
            assert_error(chunked, 413, "requestTooLarge")
            assert send(client, method, path, at_limit).status_code != 413


def test_more_ids_in_one_export_than_the_limit_is_a_bad_request_naming_it(
    make_client: Callable[..., Client],
) -> None:
    client = make_client(max_export_ids=3)
    for path in (EXPORT_DASHBOARDS, EXPORT_REPORTS):
        body = assert_error(send_json(client, "POST", path, ["a", "b", "c", "d"]), 400)
        assert body["errorCode"] == "badRequestError"
        assert "at most 3" in body["detailedMessage"]
        assert "BOARDPORT_MAX_EXPORT_IDS" in body["detailedMessage"]
        # Duplicates collapse before counting: three distinct IDs are within the limit.
        assert_error(send_json(client, "POST", path, ["a", "b", "c", "a"]), 404, "notFoundError")


def test_more_entities_in_one_import_than_the_limit_is_an_invalid_file_naming_it(
    make_client: Callable[..., Client],
) -> None:
    client = make_client(max_import_entities=2)
    target = ready_collection(client)
    file = [process_report_entity("r1"), process_report_entity("r2"), process_report_entity("r3")]
    body = assert_error(post_file(client, target, file), 400, "importFileInvalid")
    assert "at most 2" in body["detailedMessage"]
    assert "BOARDPORT_MAX_IMPORT_ENTITIES" in body["detailedMessage"]
    assert send(client, "GET", f"/api/public/report?collectionId={target}", None).json() == []
    assert post_file(client, target, file[:2]).status_code == 200


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_nested_deeper_than_the_limit_is_refused(
    make_sqlite_client: Callable[..., Client], subtests: pytest.Subtests
) -> None:
    client = make_sqlite_client(max_json_depth=8)
    deep_object = '{"a":' * 9 + "1" + "}" * 9
    for method, path, code, _ in BODY_ENDPOINTS:
        with subtests.test(method=method, path=path):
            for depth in (9, 100, 100_000):
                body = assert_error(send(client, method, path, _nested(depth)), 400, code)
                assert "nested deeper than 8 levels" in body["detailedMessage"]
            assert_error(send(client, method, path, deep_object), 400, code)
            within = send(client, method, path, _nested(8))
            assert "nested deeper" not in within.text
            assert_handled(within)


def test_an_entity_name_longer_than_the_limit_is_an_invalid_import_file(
    make_client: Callable[..., Client],
) -> None:
    client = make_client(max_name_length=20)
    target = ready_collection(client)
    report = process_report_entity("r1", name="n" * 21)
    board = dashboard_entity("d1")
    board["name"] = "m" * 21
    body = assert_error(post_file(client, target, [report, board]), 400, "importFileInvalid")
    assert "report \"r1\", field 'name' has 21 characters; at most 20" in body["detailedMessage"]
    assert "dashboard \"d1\", field 'name'" in body["detailedMessage"]
    report["name"] = "n" * 20
    board["name"] = "m" * 20
    assert post_file(client, target, [report, board]).status_code == 200


def test_an_empty_or_too_long_description_is_an_invalid_description(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    target = ready_collection(hostile)
    for kind in ("report", "dashboard"):
        for description in ("", "d" * 401, "é" * 401):
            with subtests.test(kind=kind, length=len(description)):
                entity = process_report_entity("r1") if kind == "report" else dashboard_entity("d1")
                entity["description"] = description
                response = post_file(hostile, target, [entity])
                body = assert_error(response, 400, "importDescriptionInvalid")
                assert f'{kind} "' in body["detailedMessage"]
    exactly = process_report_entity("r1", description="😀" * 400)
    assert post_file(hostile, target, [exactly]).status_code == 200


def test_an_id_longer_than_the_limit_is_refused_in_exports_and_imports(
    make_client: Callable[..., Client],
) -> None:
    client = make_client(max_id_length=40)
    long_id = "i" * 41
    for path in (EXPORT_DASHBOARDS, EXPORT_REPORTS):
        body = assert_error(send_json(client, "POST", path, [long_id]), 400, "badRequestError")
        assert "BOARDPORT_MAX_ID_LENGTH" in body["detailedMessage"]
    target = ready_collection(client)
    response = post_file(client, target, [process_report_entity(long_id)])
    body = assert_error(response, 400, "importFileInvalid")
    assert "longer than 40 characters" in body["detailedMessage"]


def test_a_collection_name_longer_than_1000_characters_is_a_bad_request(hostile: Client) -> None:
    response = send_json(hostile, "POST", f"{COLLECTIONS}/create", {"name": "c" * 1001})
    assert_error(response, 400, "badRequestError")


def test_a_collection_name_longer_than_the_configured_limit_is_a_bad_request(
    make_sqlite_client: Callable[..., Client],
) -> None:
    client = make_sqlite_client(max_name_length=20)
    response = send_json(client, "POST", f"{COLLECTIONS}/create", {"name": "c" * 21})
    assert_error(response, 400, "badRequestError")


def _incompressible(length: int) -> str:
    """Text PostgreSQL cannot compress below its index row limit."""
    return "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(length))


def test_definition_keys_versions_and_tenants_longer_than_the_id_limit_are_refused(
    hostile: Client,
) -> None:
    long = _incompressible(1000)
    cases: list[tuple[str, str, Any]] = [
        ("POST", DEFINITIONS, {"type": "process", "key": long}),
        ("POST", DEFINITIONS, {"type": "process", "key": "k", "version": long}),
        ("POST", DEFINITIONS, {"type": "process", "key": "k", "tenantId": long}),
        ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": long}]),
        ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": "k", "tenants": [long]}]),
    ]
    answers = []
    for method, path, body in cases:
        response = send_json(hostile, method, path, body)
        assert_handled(response)
        answers.append((response.status_code, "BOARDPORT_MAX_ID_LENGTH" in response.text))
    assert answers == [(400, True)] * len(cases)
