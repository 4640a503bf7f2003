"""Schemathesis against boardport's own OpenAPI document (`/schema/openapi.json`): every
operation, with inputs that fit the document and inputs that do not, sent with the bearer token
to a fresh migrated SQLite database holding the demo data. No answer may be a 5xx, and every
answer must have a documented status code, content type, headers and schema.

Reproducible: the seed is fixed, Hypothesis runs derandomized without its example database, and
each operation gets at most MAX_EXAMPLES generated examples besides schemathesis's coverage
cases. Generated IDs are mostly unknown ones, so the generation is steered, for some examples,
to the demo data's IDs; the known-good cases below make sure every success answer and the error
body's extra fields are checked against the document too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from litestar import Litestar
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from application.use_cases.register_definition import DefinitionRequest
from domain.collection import ScopeEntry
from domain.definition import DefinitionType
from entrypoints.asgi import create_app
from entrypoints.container import build_container
from entrypoints.demo.loader import demo_seed
from entrypoints.settings import Settings
from tests.builders.wire import (
    DECISION_KEY,
    INVOICE_KEY,
    combined_report_entity,
    dashboard_entity,
    decision_report_entity,
    process_report_entity,
)
from tests.conftest import AUTH, TOKEN
from tests.databases import fresh_sqlite
from tests.e2e.importing import (
    DEMO_COLLECTION,
    DEMO_COMBINED,
    DEMO_FOLDER,
    DEMO_OVERVIEW_DASHBOARD,
    DEMO_TENANT,
    INVOICE_BPMN,
    INVOICE_DMN,
)

SEED = 20_260_428
MAX_EXAMPLES = 25

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
    }
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXPECTED_OPERATIONS = {
    "exportDashboardDefinitions",
    "exportReportDefinitions",
    "importEntities",
    "listDashboardIds",
    "listReportIds",
    "deleteDashboard",
    "deleteReport",
    "addCollectionScope",
    "createCollection",
    "getCollection",
    "listCollections",
    "listDefinitions",
    "registerDefinition",
    "disableSharing",
    "enableSharing",
    "readiness",
    "listChanges",
    "getChange",
    "revertChange",
    "listReportRevisions",
    "listDashboardRevisions",
    "getReportRevision",
    "getDashboardRevision",
    "diffReportRevisions",
    "diffDashboardRevisions",
}

DEMO_FILE: list[dict[str, Any]] = json.loads(
    (DEMO_FOLDER / "demo_entities.json").read_text(encoding="utf-8")
)
DEMO_DASHBOARDS = [e["id"] for e in DEMO_FILE if e["exportEntityType"] == "dashboard"]
DEMO_REPORTS = [e["id"] for e in DEMO_FILE if e["exportEntityType"] != "dashboard"]
PLAIN_REPORT = "94a7252e-d5c3-45ea-9906-75271cc0cac2"
"""A demo report on dashboard 456 only, neither management nor in a combined report."""


def _served_schema() -> schemathesis.BaseSchema:
    """The document as the app serves it at /schema/openapi.json. Serving it opens no database;
    the requests themselves go to the fresh `demo_app` of each test."""
    never_opened = build_container(Settings(database_url="sqlite://", api_access_token=TOKEN))
    return schemathesis.openapi.from_asgi(
        "/schema/openapi.json", create_app(never_opened), config=CONFIG
    )


schema = _served_schema()


# --- steering some generated examples to the demo data ------------------------------------------

_KNOWN_PATH_IDS = {
    "report_id": [*DEMO_REPORTS, DEMO_COMBINED],
    "dashboard_id": DEMO_DASHBOARDS,
    "collection_id": [DEMO_COLLECTION],
}
_KNOWN_BODIES: dict[str, list[Any]] = {
    "POST /api/public/export/dashboard/definition/json": [
        ["123", "456"],
        DEMO_DASHBOARDS,
        DEMO_OVERVIEW_DASHBOARD,
    ],
    "POST /api/public/export/report/definition/json": [DEMO_REPORTS, [DEMO_COMBINED], "123"],
    "POST /api/public/import": [DEMO_FILE],
}


@schema.hook
def flatmap_path_parameters(
    context: schemathesis.HookContext, path_parameters: dict[str, Any] | None
) -> st.SearchStrategy[dict[str, Any] | None]:
    known = [
        {**(path_parameters or {}), name: value}
        for name in path_parameters or {}
        for value in _KNOWN_PATH_IDS.get(name, [])
    ]
    if not known:
        return st.just(path_parameters)
    return st.one_of(st.just(path_parameters), st.sampled_from(known))


@schema.hook
def flatmap_query(
    context: schemathesis.HookContext, query: dict[str, Any] | None
) -> st.SearchStrategy[dict[str, Any] | None]:
    if not isinstance(query, dict) or "collectionId" not in query:
        return st.just(query)
    return st.sampled_from([query, {**query, "collectionId": DEMO_COLLECTION}])


@schema.hook
def flatmap_body(context: schemathesis.HookContext, body: Any) -> st.SearchStrategy[Any]:
    known = _KNOWN_BODIES.get(context.operation.label if context.operation else "", [])
    return st.one_of(st.just(body), st.sampled_from(known)) if known else st.just(body)


# --- the app under test ----------------------------------------------------------------------


@pytest.fixture
def demo_app(sqlite_template: Path, tmp_path: Path) -> Iterator[Litestar]:
    """A fresh migrated SQLite database with the demo data, behind the app."""
    container = build_container(
        Settings(database_url=fresh_sqlite(sqlite_template, tmp_path), api_access_token=TOKEN)
    )
    container.load_seed()(demo_seed())
    # The definitions the demo reports use, so that importing the demo file can succeed.
    for kind, xml in (("process", INVOICE_BPMN), ("decision", INVOICE_DMN)):
        container.register_definition()(DefinitionRequest(type=kind, xml=xml))
    container.add_to_collection_scope()(
        DEMO_COLLECTION,
        [
            ScopeEntry(DefinitionType.PROCESS, INVOICE_KEY, (DEMO_TENANT, None)),
            ScopeEntry(DefinitionType.DECISION, DECISION_KEY, (DEMO_TENANT, None)),
        ],
    )
    yield create_app(container)
    container.engine().dispose()


def test_the_document_lists_every_operation() -> None:
    operations: set[str] = set()
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operations.add(result.ok().definition.raw["operationId"])
    assert operations == EXPECTED_OPERATIONS


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_operation_answers_as_documented(
    case: schemathesis.Case[Any], demo_app: Litestar
) -> None:
    case.call_and_validate(app=demo_app, headers=AUTH, checks=CHECKS)


# --- known-good and known-bad requests, checked against the same document ---------------------


def _mismatching_file() -> list[dict[str, Any]]:
    return [process_report_entity("r-old", source_index_version=4)]


def _unknown_definition_file() -> list[dict[str, Any]]:
    return [process_report_entity("r-unknown", key="noSuchProcess")]


def _out_of_scope_file() -> list[dict[str, Any]]:
    return [decision_report_entity("r-decision", key=DECISION_KEY, tenants=["elsewhere"])]


KNOWN_CASES: list[tuple[str, str, dict[str, Any], int]] = [
    ("POST", "/api/public/export/dashboard/definition/json", {"body": DEMO_DASHBOARDS}, 200),
    ("POST", "/api/public/export/report/definition/json", {"body": DEMO_REPORTS}, 200),
    ("POST", "/api/public/export/report/definition/json", {"body": ["nope"]}, 404),
    ("POST", "/api/public/export/dashboard/definition/json", {"body": [1]}, 400),
    (
        "POST",
        "/api/public/import",
        {"query": {"collectionId": DEMO_COLLECTION}, "body": DEMO_FILE},
        200,
    ),
    (
        "POST",
        "/api/public/import",
        {"query": {"collectionId": DEMO_COLLECTION, "dryRun": True}, "body": DEMO_FILE},
        200,
    ),
    (
        "POST",
        "/api/public/import",
        {"query": {"collectionId": DEMO_COLLECTION}, "body": _mismatching_file()},
        400,
    ),
    (
        "POST",
        "/api/public/import",
        {"query": {"collectionId": DEMO_COLLECTION}, "body": _unknown_definition_file()},
        400,
    ),
    (
        "POST",
        "/api/public/import",
        {"query": {"collectionId": DEMO_COLLECTION}, "body": _out_of_scope_file()},
        409,
    ),
    (
        "POST",
        "/api/public/import",
        {
            "query": {"collectionId": DEMO_COLLECTION},
            "body": [combined_report_entity("c", ["x"]), dashboard_entity("d", ["x"])],
        },
        400,
    ),
    ("POST", "/api/public/import", {"query": {"collectionId": "nope"}, "body": []}, 404),
    ("GET", "/api/public/dashboard", {"query": {"collectionId": DEMO_COLLECTION}}, 200),
    ("GET", "/api/public/report", {"query": {"collectionId": DEMO_COLLECTION}}, 200),
    ("GET", "/api/public/report", {}, 400),
    (
        "DELETE",
        "/api/public/report/{report_id}",
        {"path_parameters": {"report_id": PLAIN_REPORT}},
        204,
    ),
    (
        "DELETE",
        "/api/public/dashboard/{dashboard_id}",
        {"path_parameters": {"dashboard_id": "123"}},
        204,
    ),
    (
        "DELETE",
        "/api/public/dashboard/{dashboard_id}",
        {"path_parameters": {"dashboard_id": "x"}},
        404,
    ),
    (
        "PUT",
        "/api/public/collection/{collection_id}/scope",
        {
            "path_parameters": {"collection_id": DEMO_COLLECTION},
            "body": [{"definitionType": "process", "definitionKey": "invoice", "tenants": [None]}],
        },
        204,
    ),
    ("POST", "/api/public/collection/create", {"body": {"name": "Schemathesis"}}, 200),
    (
        "GET",
        "/api/public/collection/{collection_id}",
        {"path_parameters": {"collection_id": DEMO_COLLECTION}},
        200,
    ),
    ("GET", "/api/public/collection", {}, 200),
    ("GET", "/api/public/definition", {}, 200),
    ("POST", "/api/public/definition", {"body": {"type": "process", "xml": INVOICE_BPMN}}, 200),
    ("POST", "/api/public/share/enable", {}, 204),
    ("POST", "/api/public/share/disable", {}, 204),
    ("GET", "/api/readyz", {}, 200),
]


@pytest.mark.parametrize(
    ("method", "path", "parts", "status"),
    KNOWN_CASES,
    ids=[f"{m} {p} {s}" for m, p, _, s in KNOWN_CASES],
)
def test_known_requests_answer_as_documented(
    demo_app: Litestar, method: str, path: str, parts: dict[str, Any], status: int
) -> None:
    case = schema[path][method].Case(**parts)
    response = case.call_and_validate(app=demo_app, headers=AUTH, checks=CHECKS)
    assert response.status_code == status, response.text
