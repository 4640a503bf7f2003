"""Hostile input through HTTP (issue 5): every one gets a 4xx with the contract's errorCode, never
a 500, never HTML, never a stack trace. Where the database matters (a value is stored, compared or
looked up) the test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import copy
import json
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from litestar.testing import TestClient

from entrypoints.container import build_container
from entrypoints.demo.loader import demo_seed
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.builders.wire import (
    Entity,
    combined_report_entity,
    dashboard_entity,
    external_tile_json,
    process_report_entity,
    text_tile_json,
)
from tests.conftest import AUTH, TOKEN
from tests.databases import fresh_sqlite
from tests.e2e.importing import (
    COLLECTIONS,
    DEFINITIONS,
    DEMO_COLLECTION,
    EXPORT_DASHBOARDS,
    EXPORT_REPORTS,
    IMPORT,
    INVOICE_BPMN,
    Client,
    add_scope,
    create_collection,
    ready_collection,
)

CONTRACT_CODES = frozenset(
    {
        "badRequestError",
        "notAuthorizedError",
        "notFoundError",
        "importFileInvalid",
        "importIndexVersionMismatch",
        "importDefinitionDoesNotExist",
        "importDescriptionInvalid",
        "nonDefinitionScopeCompliantConflict",
        "nonTenantScopeCompliantConflict",
        "requestTooLarge",
        "methodNotAllowedError",
    }
)
IMPORT_CODES = frozenset(
    {
        "badRequestError",
        "importFileInvalid",
        "importIndexVersionMismatch",
        "importDefinitionDoesNotExist",
        "importDescriptionInvalid",
        "nonDefinitionScopeCompliantConflict",
        "nonTenantScopeCompliantConflict",
    }
)
JSON = {**AUTH, "Content-Type": "application/json"}
SCOPE = f"{COLLECTIONS}/{DEMO_COLLECTION}/scope"
SHARE = "/api/public/share/enable"
DEMO_IMPORT = f"{IMPORT}?collectionId={DEMO_COLLECTION}"
PLAIN_REPORT = "94a7252e-d5c3-45ea-9906-75271cc0cac2"

# Every endpoint that reads a body: (method, path, errorCode of a malformed body, a valid body).
# The import goes to the demo collection, which every client of this module holds.
BODY_ENDPOINTS: list[tuple[str, str, str, Any]] = [
    ("POST", EXPORT_DASHBOARDS, "badRequestError", ["123"]),
    ("POST", EXPORT_REPORTS, "badRequestError", [PLAIN_REPORT]),
    ("POST", DEMO_IMPORT, "importFileInvalid", []),
    ("POST", f"{COLLECTIONS}/create", "badRequestError", {"name": "Hostile"}),
    (
        "PUT",
        SCOPE,
        "badRequestError",
        [{"definitionType": "process", "definitionKey": "invoice", "tenants": [None]}],
    ),
    ("POST", DEFINITIONS, "badRequestError", {"type": "process", "key": "hostile"}),
    ("POST", SHARE, "badRequestError", None),
]


# --- assertions --------------------------------------------------------------------------------


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> Entity:
    """The contract's JSON error body with exactly this status (and code), nothing else."""
    assert response.status_code == status, f"{response.status_code}: {response.text[:600]}"
    assert response.headers["content-type"].split(";")[0] == "application/json", response.headers
    body: Entity = response.json()
    assert isinstance(body, dict), body
    for field in ("errorCode", "errorMessage", "detailedMessage"):
        assert isinstance(body.get(field), str), body
        assert body[field], body
    assert body["errorCode"] in CONTRACT_CODES, body
    if code is not None:
        assert body["errorCode"] == code, body
    assert_no_leak(response)
    return body


def assert_no_leak(response: httpx.Response) -> None:
    text = response.text
    for marker in ("Traceback", 'File "/', "<html", "<!DOCTYPE", "sqlalchemy", "psycopg"):
        assert marker.lower() not in text.lower(), text[:600]


def assert_handled(response: httpx.Response, codes: frozenset[str] = CONTRACT_CODES) -> None:
    """Whatever the answer, it is not a server error, and an error is the contract's body."""
    assert response.status_code < 500, f"{response.status_code}: {response.text[:600]}"
    if response.status_code >= 400:
        body = assert_error(response, response.status_code)
        assert body["errorCode"] in codes, body
    else:
        assert_no_leak(response)


def send(client: Client, method: str, path: str, content: bytes | str | None) -> httpx.Response:
    data = content.encode() if isinstance(content, str) else content
    return client.request(method, path, content=data, headers=JSON)


def send_json(client: Client, method: str, path: str, body: Any) -> httpx.Response:
    return send(client, method, path, json.dumps(body))


def raw_request(client: Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """A request whose path reaches the app percent-decoded once, as from uvicorn. (Litestar's
    TestClient decodes the path twice: `%2541` would arrive as `A`, not `%41`.)"""

    async def send_once() -> httpx.Response:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as raw:
            return await raw.request(method, url, **kwargs)

    return asyncio.run(send_once())


# --- fixtures ----------------------------------------------------------------------------------


def _open_client(stack: ExitStack, database_url: str, **overrides: Any) -> Client:
    container = build_container(
        Settings(database_url=database_url, api_access_token=TOKEN, **overrides)
    )
    stack.callback(container.engine().dispose)
    client: Client = stack.enter_context(
        TestClient(create_app(container), raise_server_exceptions=False)
    )
    container.load_seed()(demo_seed())
    return client


@pytest.fixture
def make_client(database_url: str) -> Iterator[Callable[..., Client]]:
    """Builds an app over the test's database (SQLite or PostgreSQL) with the demo data and
    the given settings."""
    with ExitStack() as stack:
        yield lambda **overrides: _open_client(stack, database_url, **overrides)


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    return fresh_sqlite(sqlite_template, tmp_path)


@pytest.fixture
def make_sqlite_client(sqlite_url: str) -> Iterator[Callable[..., Client]]:
    """The same on SQLite only, for checks that happen before any database is touched."""
    with ExitStack() as stack:
        yield lambda **overrides: _open_client(stack, sqlite_url, **overrides)


@pytest.fixture
def hostile(make_client: Callable[..., Client]) -> Client:
    """The demo data on each database, default settings, server errors as responses."""
    return make_client()


@pytest.fixture
def sqlite_hostile(make_sqlite_client: Callable[..., Client]) -> Client:
    return make_sqlite_client()


def valid_file() -> list[Entity]:
    """Two process reports, a combined report of both, and a dashboard with a report tile, the
    combined report, a text tile, an external tile and a filter."""
    return [
        process_report_entity("r1"),
        process_report_entity("r2"),
        combined_report_entity("c1", ["r1", "r2"]),
        dashboard_entity(
            "d1",
            ["r1", "c1"],
            extra_tiles=[text_tile_json(y=8), external_tile_json(y=10)],
            filters=[{"type": "state", "data": {"operator": "in", "values": ["running"]}}],
        ),
    ]


def post_file(client: Client, collection_id: str, body: Any) -> httpx.Response:
    return send_json(client, "POST", f"{IMPORT}?collectionId={quote(collection_id)}", body)


# --- 1. size and depth limits ------------------------------------------------------------------


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


# --- 2. names, descriptions and IDs beyond their limits ----------------------------------------


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


# --- 3. bytes that are not UTF-8, keys twice, numbers for strings ------------------------------

INVALID_UTF8 = [
    b"\xff",
    b"\xc3\x28",  # a lead byte without its continuation
    b"\xc0\xaf",  # an overlong encoding of "/"
    b"\xed\xa0\x80",  # a UTF-16 surrogate encoded as UTF-8 (CESU-8)
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
    b"a\x80",
]


def _with_a_string(valid: Any) -> str:
    """The valid body's JSON if it holds a string, else a one-string array."""
    text = json.dumps(valid)
    return text if '"' in text else '["X"]'


def _with_bytes(valid: Any, raw: bytes) -> bytes:
    """The valid body's JSON with `raw` spliced into its first string."""
    encoded = _with_a_string(valid).encode()
    marker = encoded.index(b'"') + 1
    return encoded[:marker] + raw + encoded[marker:]


def test_a_body_that_is_not_utf8_is_refused(
    sqlite_hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path, code, valid in BODY_ENDPOINTS:
        for raw in INVALID_UTF8:
            with subtests.test(method=method, path=path, raw=raw):
                response = send(sqlite_hostile, method, path, _with_bytes(valid, raw))
                body = assert_error(response, 400, code)
                assert "UTF-8" in body["detailedMessage"]
        with subtests.test(method=method, path=path, encoding="utf-16"):
            utf16 = json.dumps(valid if valid is not None else []).encode("utf-16")
            assert_error(send(sqlite_hostile, method, path, utf16), 400, code)


def test_an_import_file_in_latin1_is_an_invalid_import_file(hostile: Client) -> None:
    target = ready_collection(hostile)
    text = json.dumps([process_report_entity("r1", name="Räport")], ensure_ascii=False)
    body = assert_error(post_file_raw(hostile, target, text.encode("latin-1")), 400)
    assert body["errorCode"] == "importFileInvalid"
    assert "UTF-8" in body["detailedMessage"]
    with_bom = b"\xef\xbb\xbf" + text.encode()
    assert post_file_raw(hostile, target, with_bom).status_code == 200


def post_file_raw(client: Client, collection_id: str, content: bytes) -> httpx.Response:
    return send(client, "POST", f"{IMPORT}?collectionId={quote(collection_id)}", content)


DUPLICATE_KEY_BODIES: list[tuple[str, str, str]] = [
    ("POST", EXPORT_DASHBOARDS, '{"ids": ["123"], "ids": ["456"]}'),
    ("POST", EXPORT_REPORTS, '[{"a": 1, "a": 1}]'),
    ("POST", f"{COLLECTIONS}/create", '{"name": "a", "name": "b"}'),
    ("POST", f"{COLLECTIONS}/create", '{"name": "a", "ownerId": "o", "ownerId": "p"}'),
    ("PUT", SCOPE, '[{"definitionType": "process", "definitionKey": "a", "definitionKey": "b"}]'),
    ("POST", DEFINITIONS, '{"type": "process", "type": "decision", "key": "k"}'),
    ("POST", SHARE, '{"enabled": true, "enabled": false}'),
]


def test_a_json_body_with_a_key_twice_is_a_bad_request(
    sqlite_hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path, text in DUPLICATE_KEY_BODIES:
        with subtests.test(method=method, path=path, body=text):
            body = assert_error(send(sqlite_hostile, method, path, text), 400, "badRequestError")
            assert "twice" in body["detailedMessage"]


def test_an_import_file_with_a_key_twice_anywhere_is_an_invalid_import_file(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    target = ready_collection(hostile)
    report_text = json.dumps(process_report_entity("r1"))
    board_text = json.dumps(dashboard_entity("d1", ["r1"]))
    variants = [
        ("id", report_text, '"id": "r1"', '"id": "r1", "id": "r2"'),
        ("name", report_text, '"name": "Report r1"', '"name": "Report r1", "name": "Other"'),
        (
            "data",
            report_text,
            '"visualization": "number"',
            '"visualization": "number", "visualization": "table"',
        ),
        ("definition", report_text, '"key": "invoice"', '"key": "invoice", "key": "other"'),
        ("tile", board_text, '"x": 0', '"x": 0, "x": 1'),
    ]
    for where, text, once, twice in variants:
        with subtests.test(where=where):
            assert once in text
            variant = text.replace(once, twice, 1)
            file = f"[{report_text}, {variant}]" if text is board_text else f"[{variant}]"
            body = assert_error(post_file_raw(hostile, target, file.encode()), 400)
            assert body["errorCode"] == "importFileInvalid"
            assert "twice" in body["detailedMessage"]
    assert send(hostile, "GET", f"/api/public/report?collectionId={target}", None).json() == []


NUMBER_FOR_STRING: list[tuple[str, str, Any]] = [
    ("POST", EXPORT_DASHBOARDS, [123]),
    ("POST", EXPORT_DASHBOARDS, 123),
    ("POST", EXPORT_REPORTS, ["a", 1.5]),
    ("POST", EXPORT_REPORTS, [True]),
    ("POST", f"{COLLECTIONS}/create", {"name": 5}),
    ("POST", f"{COLLECTIONS}/create", {"name": "n", "ownerId": 5}),
    ("PUT", SCOPE, [{"definitionType": 1, "definitionKey": "invoice"}]),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": 5}]),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": "invoice", "tenants": [5]}]),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": "invoice", "tenants": 5}]),
    ("POST", DEFINITIONS, {"type": 1, "key": "k"}),
    ("POST", DEFINITIONS, {"type": "process", "key": 5}),
    ("POST", DEFINITIONS, {"type": "process", "xml": 5}),
    ("POST", DEFINITIONS, {"type": "process", "key": "k", "version": 2}),
    ("POST", DEFINITIONS, {"type": "process", "key": "k", "tenantId": 7}),
    ("POST", DEFINITIONS, {"type": "process", "key": "k", "name": 7}),
]


def test_a_number_where_a_string_belongs_is_a_bad_request(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path, body in NUMBER_FOR_STRING:
        with subtests.test(method=method, path=path, body=body):
            assert_error(send_json(hostile, method, path, body), 400, "badRequestError")


IMPORT_WRONG_TYPES: list[tuple[int, str, Any]] = [
    (0, "id", 5),
    (0, "name", 5),
    (0, "description", 5),
    (0, "collectionId", 5),
    (0, "exportEntityType", 5),
    (0, "sourceIndexVersion", "11"),
    (0, "sourceIndexVersion", 11.5),
    (0, "data", "x"),
    (3, "tiles", "x"),
    (3, "availableFilters", "x"),
    (2, "data", {"reports": [{"id": 5}]}),
]


def test_an_import_field_of_the_wrong_type_is_an_invalid_import_file(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    target = ready_collection(hostile)
    for index, field, value in IMPORT_WRONG_TYPES:
        with subtests.test(field=field, value=value):
            file = valid_file()
            file[index][field] = value
            body = assert_error(post_file(hostile, target, file), 400, "importFileInvalid")
            assert field in body["detailedMessage"]
    for tile_field, value in (
        ("id", 5),
        ("type", 5),
        ("position", {"x": "0", "y": 0}),
        ("dimensions", {"width": 1, "height": "2"}),
        ("configuration", "text"),
    ):
        with subtests.test(tile_field=tile_field, value=value):
            file = valid_file()
            file[3]["tiles"][0][tile_field] = value
            body = assert_error(post_file(hostile, target, file), 400, "importFileInvalid")
            assert "tiles[0]" in body["detailedMessage"]
    assert send(hostile, "GET", f"/api/public/report?collectionId={target}", None).json() == []


# --- 4. null in every place a value can be -----------------------------------------------------

NULL_BODIES: list[tuple[str, str, Any, int]] = [
    ("POST", EXPORT_DASHBOARDS, None, 200),
    ("POST", EXPORT_DASHBOARDS, [None], 400),
    ("POST", EXPORT_REPORTS, [PLAIN_REPORT, None], 400),
    ("POST", f"{COLLECTIONS}/create", None, 200),
    ("POST", f"{COLLECTIONS}/create", {"name": None}, 200),
    ("POST", f"{COLLECTIONS}/create", {"name": "n", "ownerId": None}, 200),
    ("PUT", SCOPE, None, 400),
    ("PUT", SCOPE, [None], 400),
    ("PUT", SCOPE, [{"definitionType": None, "definitionKey": "invoice"}], 400),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": None}], 400),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": "k", "tenants": None}], 400),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": "k", "tenants": [None]}], 204),
    ("POST", DEFINITIONS, None, 400),
    ("POST", DEFINITIONS, {"type": None, "key": "k"}, 400),
    ("POST", DEFINITIONS, {"type": "process", "xml": None, "key": None}, 400),
    (
        "POST",
        DEFINITIONS,
        {"type": "process", "key": "k", "version": None, "tenantId": None, "name": None},
        200,
    ),
    ("POST", SHARE, None, 204),
]


def test_null_in_a_body_is_refused_or_means_absent(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path, body, status in NULL_BODIES:
        with subtests.test(method=method, path=path, body=body):
            response = send_json(hostile, method, path, body)
            if status >= 400:
                assert_error(response, status, "badRequestError")
            else:
                assert response.status_code == status, response.text


def _null_variants(file: list[Entity]) -> Iterator[tuple[str, list[Entity]]]:
    """The file with null in one place at a time: every field of every entity, of every tile
    and its position and dimensions, of every filter, of the report data and its definitions,
    and of the combined report's children."""

    def paths(value: Any, prefix: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
        if isinstance(value, dict):
            for key, item in value.items():
                yield (*prefix, key)
                if key not in {"configuration", "view", "groupBy", "distributedBy"}:
                    yield from paths(item, (*prefix, key))
        elif isinstance(value, list):
            for position, item in enumerate(value):
                yield (*prefix, position)
                yield from paths(item, (*prefix, position))

    for path in paths(file, ()):
        changed = copy.deepcopy(file)
        holder: Any = changed
        for step in path[:-1]:
            holder = holder[step]
        holder[path[-1]] = None
        yield ".".join(str(p) for p in path), changed


# The nulls the contract answers with a specific error, and some it accepts as "absent"; every
# other null is either accepted or refused with one of the import's codes, never a 5xx.
NULL_IN_IMPORT = {
    "0": "importFileInvalid",
    "0.id": "importFileInvalid",
    "0.exportEntityType": "importFileInvalid",
    "0.name": "importFileInvalid",
    "0.data": "importFileInvalid",
    "0.sourceIndexVersion": "importIndexVersionMismatch",
    "3.tiles": "importFileInvalid",
    "3.tiles.0.position": "importFileInvalid",
    "3.tiles.0.position.x": "importFileInvalid",
    "3.tiles.0.dimensions.height": "importFileInvalid",
    "3.tiles.0.type": "importFileInvalid",
    "3.tiles.0.id": "importFileInvalid",
    "3.availableFilters.0": "importFileInvalid",
    "3.availableFilters.0.data": "importFileInvalid",
    "2.data.reports.0.id": "importFileInvalid",
}
NULL_ACCEPTED = {"0.description", "0.collectionId", "3.availableFilters", "3.tiles.2.id"}


def test_null_in_every_place_of_an_import_file_is_refused_or_means_absent(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    target = ready_collection(hostile)
    seen: set[str] = set()
    for where, file in _null_variants(valid_file()):
        seen.add(where)
        with subtests.test(null_at=where):
            response = post_file(hostile, target, file)
            assert_handled(response, IMPORT_CODES)
            expected = NULL_IN_IMPORT.get(where)
            if expected is not None:
                assert_error(response, 400, expected)
            if where in NULL_ACCEPTED:
                assert response.status_code == 200, response.text
    assert set(NULL_IN_IMPORT) | NULL_ACCEPTED <= seen
    assert len(seen) > 80


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


# --- 5. IDs with slashes, dots, percent-encoding, unicode and SQL fragments --------------------

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


def _demo_is_intact(client: Client) -> None:
    response = send_json(client, "POST", EXPORT_DASHBOARDS, ["123", "456"])
    assert response.status_code == 200, response.text
    assert len(response.json()) == 5
    listed = send(client, "GET", f"/api/public/report?collectionId={DEMO_COLLECTION}", None)
    assert len(listed.json()) == 6


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
    _demo_is_intact(hostile)


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
    _demo_is_intact(hostile)


# --- 6. NUL characters, lone surrogates, huge numbers ------------------------------------------

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
NUL_BODIES: list[tuple[str, str, Any]] = [
    ("POST", EXPORT_DASHBOARDS, ["a\u0000"]),
    ("POST", EXPORT_REPORTS, ["\u0000"]),
    ("POST", f"{COLLECTIONS}/create", {"name": "a\u0000b"}),
    ("POST", f"{COLLECTIONS}/create", {"name": "n", "ownerId": "\u0000"}),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": "k\u0000"}]),
    ("PUT", SCOPE, [{"definitionType": "process", "definitionKey": "k", "tenants": ["\u0000"]}]),
    ("POST", DEFINITIONS, {"type": "process", "key": "k\u0000"}),
    ("POST", DEFINITIONS, {"type": "process", "key": "k", "tenantId": "\u0000"}),
    ("POST", DEFINITIONS, {"type": "process", "key": "k", "version": "1\u0000"}),
    ("POST", DEFINITIONS, {"type": "process", "key": "k", "name": "\u0000"}),
]


def test_a_nul_character_in_a_path_query_or_body_is_a_bad_request(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path in NUL_PATHS:
        with subtests.test(method=method, path=path):
            response = raw_request(hostile, method, path, content=b"[]", headers=JSON)
            body = assert_error(response, 400, "badRequestError")
            assert "NUL" in body["detailedMessage"]
    for method, path, content in NUL_BODIES:
        with subtests.test(method=method, path=path, body=content):
            body = assert_error(send_json(hostile, method, path, content), 400, "badRequestError")
            assert "NUL" in body["detailedMessage"]
    _demo_is_intact(hostile)


def test_a_nul_character_in_an_imported_name_or_description_is_an_invalid_import_file(
    hostile: Client,
) -> None:
    target = ready_collection(hostile)
    answers = []
    for index, field in ((0, "name"), (0, "description"), (3, "name"), (3, "description")):
        file = valid_file()
        file[index][field] = "a\u0000b"
        response = post_file(hostile, target, file)
        assert_handled(response, IMPORT_CODES)
        code = response.json().get("errorCode") if response.status_code >= 400 else None
        answers.append((field, response.status_code, code))
    assert all(a[1:] == (400, "importFileInvalid") for a in answers), answers


def test_a_nul_character_in_a_referenced_definition_key_is_an_invalid_import_file(
    hostile: Client,
) -> None:
    target = ready_collection(hostile)
    file = [process_report_entity("r1", key="invoice\u0000")]
    assert_error(post_file(hostile, target, file), 400, "importFileInvalid")


def test_nul_inside_free_form_report_data_is_kept_as_it_came(hostile: Client) -> None:
    target = ready_collection(hostile)
    report = process_report_entity("r1", note="a\u0000b", view={"entity": "x\u0000"})
    response = post_file(hostile, target, [report])
    assert response.status_code == 200, response.text
    (created,) = response.json()
    exported = send_json(hostile, "POST", EXPORT_REPORTS, [created["id"]]).json()
    assert exported[0]["data"]["note"] == "a\u0000b"


LONE_SURROGATES = ['"\\ud800', '"a\\udfffb', '"\\udc00\\ud800']


def test_an_escaped_lone_surrogate_is_refused(
    sqlite_hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path, code, valid in BODY_ENDPOINTS:
        text = _with_a_string(valid)
        for surrogate in LONE_SURROGATES:
            with subtests.test(method=method, path=path, surrogate=surrogate):
                spliced = text.replace('"', surrogate, 1)
                body = assert_error(send(sqlite_hostile, method, path, spliced), 400, code)
                assert "surrogate" in body["detailedMessage"]
        with subtests.test(method=method, path=path, surrogate="a pair"):
            paired = text.replace('"', '"\\ud83d\\ude00', 1)
            assert "surrogate" not in send(sqlite_hostile, method, path, paired).text


def test_a_lone_surrogate_in_an_import_file_is_an_invalid_import_file(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    target = ready_collection(hostile)
    for index, field in ((0, "name"), (0, "description"), (0, "id"), (3, "name")):
        with subtests.test(field=field):
            file = valid_file()
            file[index][field] = "\ud800"
            body = assert_error(post_file(hostile, target, file), 400, "importFileInvalid")
            assert "surrogate" in body["detailedMessage"]
    paired = valid_file()
    paired[0]["name"] = "😀 \U0001f600"
    assert post_file(hostile, target, paired).status_code == 200


HUGE_NUMBERS = ("9" * 5000, "-" + "1" * 4301, "1" * 5000 + ".5", "1e999999", "-1e400")


def test_a_number_too_large_to_represent_is_refused(
    sqlite_hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path, code, _ in BODY_ENDPOINTS:
        for number in HUGE_NUMBERS:
            with subtests.test(method=method, path=path, number=number[:12]):
                response = send(sqlite_hostile, method, path, f"[{number}]")
                body = assert_error(response, 400, code)
                # Ours says "too large to represent", msgspec's (on a plain array) "out of range".
                detail = body["detailedMessage"]
                assert "too large" in detail or "out of range" in detail, detail


def test_a_tile_coordinate_beyond_what_can_be_stored_is_an_invalid_import_file(
    hostile: Client,
) -> None:
    target = ready_collection(hostile)
    answers = []
    for value in (2**31, -(2**40), 2**63, 2**70, 1e300):
        file = valid_file()
        file[3]["tiles"][0]["position"]["x"] = value
        response = post_file(hostile, target, file)
        code = response.json().get("errorCode") if response.status_code >= 400 else None
        answers.append((value, response.status_code, code))
        if code == "importFileInvalid":
            assert "tiles[0].position.x" in response.json()["detailedMessage"]
    assert all(a[1:] == (400, "importFileInvalid") for a in answers), answers


def test_a_huge_source_index_version_is_a_mismatch_not_a_crash(hostile: Client) -> None:
    target = ready_collection(hostile)
    file = valid_file()
    file[0]["sourceIndexVersion"] = 10**40
    body = assert_error(post_file(hostile, target, file), 400, "importIndexVersionMismatch")
    assert body["mismatchingIndices"][0]["sourceIndexVersion"] == 10**40


# --- 7. content types and methods --------------------------------------------------------------

NOT_JSON = [
    "text/plain",
    "text/html",
    "application/xml",
    "text/xml",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/octet-stream",
    "application/jsonx",
    "image/svg+xml",
]
JSON_TYPES = ["application/json; charset=utf-8", "APPLICATION/JSON", "application/vnd.api+json"]


def test_a_body_not_sent_as_json_is_unsupported(
    sqlite_hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path, _, valid in BODY_ENDPOINTS:
        content = json.dumps(valid).encode()
        for content_type in NOT_JSON:
            with subtests.test(method=method, path=path, content_type=content_type):
                headers = {**AUTH, "Content-Type": content_type}
                response = sqlite_hostile.request(method, path, content=content, headers=headers)
                body = assert_error(response, 415, "badRequestError")
                assert content_type.split(";")[0] in body["detailedMessage"]
        for content_type in JSON_TYPES:
            with subtests.test(method=method, path=path, content_type=content_type):
                headers = {**AUTH, "Content-Type": content_type}
                response = sqlite_hostile.request(method, path, content=content, headers=headers)
                assert response.status_code != 415, response.text


METHODS_NOT_ALLOWED: list[tuple[str, str]] = [
    ("GET", EXPORT_DASHBOARDS),
    ("PUT", EXPORT_REPORTS),
    ("DELETE", EXPORT_REPORTS),
    ("GET", IMPORT),
    ("PUT", IMPORT),
    ("PATCH", IMPORT),
    ("DELETE", IMPORT),
    ("POST", "/api/public/dashboard"),
    ("DELETE", "/api/public/report"),
    ("GET", "/api/public/report/123"),
    ("PUT", "/api/public/dashboard/123"),
    ("DELETE", COLLECTIONS),
    ("POST", f"{COLLECTIONS}/{DEMO_COLLECTION}"),
    ("GET", f"{COLLECTIONS}/{DEMO_COLLECTION}/scope"),
    ("GET", f"{COLLECTIONS}/create"),
    ("DELETE", DEFINITIONS),
    ("GET", SHARE),
    ("PATCH", "/api/public/share/disable"),
    ("POST", "/api/readyz"),
    ("DELETE", "/api/readyz"),
    ("TRACE", COLLECTIONS),
    ("HEAD", EXPORT_DASHBOARDS),
    ("PROPFIND", COLLECTIONS),
]


def test_a_method_that_is_not_allowed_is_405_with_the_json_error_body(
    sqlite_hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path in METHODS_NOT_ALLOWED:
        with subtests.test(method=method, path=path):
            response = sqlite_hostile.request(method, path, headers=AUTH)
            assert response.status_code == 405, response.text
            assert method not in response.headers["allow"].split(", ")
            assert response.headers["content-type"] == "application/json"
            if method != "HEAD":
                assert_error(response, 405, "methodNotAllowedError")


# --- 8. XML that declares entities -------------------------------------------------------------

BPMN = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"'
HOSTILE_XML = {
    "external entity": (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<definitions {BPMN}><process id="invoice" name="&x;"/></definitions>'
    ),
    "external dtd": (
        '<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://127.0.0.1:9/evil.dtd">'
        f'<definitions {BPMN}><process id="invoice" name="n"/></definitions>'
    ),
    "parameter entity": (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
        f'<definitions {BPMN}><process id="invoice"/></definitions>'
    ),
    "billion laughs": (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "'
        + "a" * 50
        + '">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + f']><definitions {BPMN}><process id="invoice" name="&j;"/></definitions>'
    ),
    "quadratic blowup": (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "'
        + "x" * 50_000
        + f'">]><definitions {BPMN}><process id="invoice" name="'
        + "&a;" * 20_000
        + '"/></definitions>'
    ),
    "internal entity": (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY k "invoice">]>'
        f'<definitions {BPMN}><process id="&k;"/></definitions>'
    ),
}


def test_xml_that_declares_entities_is_refused_quickly_without_reading_them(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    for name, xml in HOSTILE_XML.items():
        for definition_type in ("process", "decision"):
            with subtests.test(xml=name, type=definition_type):
                started = time.monotonic()
                body = {"type": definition_type, "xml": xml}
                response = send_json(hostile, "POST", DEFINITIONS, body)
                elapsed = time.monotonic() - started
                error = assert_error(response, 400, "badRequestError")
                assert "document type" in error["detailedMessage"]
                assert "root:" not in response.text
                assert elapsed < 5
    assert send(hostile, "GET", DEFINITIONS, None).json() == []


def test_xml_with_an_xinclude_is_read_as_plain_elements(hostile: Client) -> None:
    xml = INVOICE_BPMN.replace(
        '<bpmn:process id="invoice"',
        '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" '
        'parse="text"/><bpmn:process id="xinclude-check"',
        1,
    )
    assert "xi:include" in xml
    response = send_json(hostile, "POST", DEFINITIONS, {"type": "process", "xml": xml})
    assert response.status_code == 200, response.text
    assert response.json()["key"] == "xinclude-check"
    # What was stored is the XML as sent, the include an element like any other: an imported
    # report naming the key carries it back out, byte for byte.
    target = create_collection(hostile)
    add_scope(hostile, target, "process", "xinclude-check")
    imported = post_file(hostile, target, [process_report_entity("r1", key="xinclude-check")])
    assert imported.status_code == 200, imported.text
    exported = send_json(hostile, "POST", EXPORT_REPORTS, [imported.json()[0]["id"]])
    assert exported.status_code == 200, exported.text
    assert exported.json()[0]["data"]["configuration"]["xml"] == xml
    assert "root:" not in exported.text


def test_hostile_xml_in_an_imported_report_is_data_and_is_replaced(hostile: Client) -> None:
    target = ready_collection(hostile)
    report = process_report_entity("r1", xml=HOSTILE_XML["external entity"])
    response = post_file(hostile, target, [report])
    assert response.status_code == 200, response.text
    (created,) = response.json()
    exported = send_json(hostile, "POST", EXPORT_REPORTS, [created["id"]])
    assert "root:" not in exported.text
    assert exported.json()[0]["data"]["configuration"]["xml"] == INVOICE_BPMN


# --- 9. every error anywhere is the contract's body --------------------------------------------

UNKNOWN_PATHS = [
    ("GET", "/nope"),
    ("GET", "/api/public/nope"),
    ("POST", "/api/public/export/nope/definition/json"),
    ("GET", "/schema/nope"),
    ("GET", "/api/public/report/a/b/c"),
    ("GET", "/%2e%2e/%2e%2e/etc/passwd"),
    ("GET", f"{COLLECTIONS}/x/y/z"),
]


def test_unknown_paths_are_the_json_not_found_body(
    sqlite_hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path in UNKNOWN_PATHS:
        with subtests.test(method=method, path=path):
            response = raw_request(sqlite_hostile, method, path, headers=AUTH)
            assert_error(response, 404, "notFoundError")
