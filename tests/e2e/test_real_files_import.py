"""The real Optimize export files (../shared/fixtures/optimize/, read in place) through the
import API. A target is prepared the way a user prepares it (`definitions from-export`, here
its use case), the file is imported into a fresh collection, and exporting the new entities
gives back the file's entities, JSON-equal modulo IDs, collectionId, sourceIndexVersion and
configuration.xml. Reports are compared by ID: an export lists them in first-mention order."""

from __future__ import annotations

from typing import Any

import pytest

from entrypoints.container import Container
from tests.builders.wire import Entity
from tests.e2e.importing import (
    Client,
    assert_collection_empty,
    by_id,
    create_collection,
    error_body,
    export_dashboards,
    export_reports,
    id_map,
    new_ids,
    post_import,
)
from tests.optimize_fixtures import (
    CURRENT_LAYOUT_DASHBOARD_FILES,
    CURRENT_LAYOUT_REPORT_FILES,
    load_fixture,
)

MANAGEMENT_FILE = "optimize-template4-agentic-management-reports-v11.json"
INSTANT_PREVIEW_FILE = "optimize-instant-preview-template2-kpi-dashboard-v11-v8.json"
IMPORTABLE_DASHBOARD_FILES = tuple(
    f for f in CURRENT_LAYOUT_DASHBOARD_FILES if f != INSTANT_PREVIEW_FILE
)
IMPORTABLE_REPORT_FILES = tuple(f for f in CURRENT_LAYOUT_REPORT_FILES if f != MANAGEMENT_FILE)


def entities_of(name: str) -> list[Entity]:
    document = load_fixture(name)
    assert isinstance(document, list)
    return [e for e in document if isinstance(e, dict)]


def prepared_collection(container: Container, client: Client, document: Any) -> str:
    collection_id = create_collection(client, "Imported")
    container.prepare_for_import()(document, collection_id)
    return collection_id


def imported(
    container: Container, client: Client, entities: list[Entity]
) -> tuple[str, list[Entity]]:
    collection_id = prepared_collection(container, client, entities)
    response = post_import(client, collection_id, entities)
    assert response.status_code == 200, response.text[:2000]
    answer: list[Entity] = response.json()
    return collection_id, answer


def test_every_importable_real_file_is_covered_here() -> None:
    assert len(IMPORTABLE_DASHBOARD_FILES) == 3
    assert len(IMPORTABLE_REPORT_FILES) == 2


@pytest.mark.parametrize("name", IMPORTABLE_DASHBOARD_FILES)
def test_a_real_dashboard_file_imports_and_exports_back_modulo_ids(
    container: Container, client: Client, name: str
) -> None:
    entities = entities_of(name)
    collection_id, answer = imported(container, client, entities)
    assert [(i["sourceId"], i["entityType"]) for i in answer] == [
        (e["id"], "dashboard" if e["exportEntityType"] == "dashboard" else "report")
        for e in entities
    ]
    ids = id_map(answer)
    exported = export_dashboards(client, new_ids(answer, "dashboard"))
    assert len(exported) == len(entities)
    assert by_id(exported) == by_id(entities, ids)
    assert {e["collectionId"] for e in exported} == {collection_id}
    assert [e["id"] for e in exported if e["exportEntityType"] == "dashboard"] == [
        ids[e["id"]] for e in entities if e["exportEntityType"] == "dashboard"
    ]


@pytest.mark.parametrize("name", IMPORTABLE_REPORT_FILES)
def test_a_real_report_file_imports_and_exports_back_modulo_ids(
    container: Container, client: Client, name: str
) -> None:
    entities = entities_of(name)
    collection_id, answer = imported(container, client, entities)
    assert [(i["sourceId"], i["entityType"]) for i in answer] == [
        (e["id"], "report") for e in entities
    ]
    ids = id_map(answer)
    exported = export_reports(client, new_ids(answer, "report"))
    assert [e["id"] for e in exported] == [ids[e["id"]] for e in entities]
    assert by_id(exported) == by_id(entities, ids)
    assert {e["collectionId"] for e in exported} == {collection_id}


@pytest.mark.parametrize(
    ("name", "what"),
    [(MANAGEMENT_FILE, "management report"), (INSTANT_PREVIEW_FILE, "instant-preview")],
    ids=["management", "instant-preview"],
)
def test_optimizes_own_templates_are_refused_as_a_bad_request(
    container: Container, client: Client, name: str, what: str
) -> None:
    entities = entities_of(name)
    collection_id = prepared_collection(container, client, entities)
    body = error_body(post_import(client, collection_id, entities), 400, "badRequestError")
    assert what in body["detailedMessage"]
    assert f'"{entities[0]["id"]}"' in body["detailedMessage"]
    assert_collection_empty(client, collection_id)


def test_a_report_export_concatenated_with_a_dashboard_export_sharing_reports_imports(
    container: Container, client: Client
) -> None:
    dashboards_file = entities_of("kh-c8-sm84-9reports-2dashboards-text-tiles.json")
    shared = [e for e in dashboards_file if e["exportEntityType"] != "dashboard"][:2]
    concatenated = shared + dashboards_file
    _, answer = imported(container, client, concatenated)
    assert [i["sourceId"] for i in answer] == list(dict.fromkeys(e["id"] for e in concatenated))
    assert len(answer) == len(dashboards_file)
    exported = export_dashboards(client, new_ids(answer, "dashboard"))
    assert by_id(exported) == by_id(dashboards_file, id_map(answer))
    assert len(exported) == len(dashboards_file)


def test_two_report_exports_of_one_collection_concatenated_import_each_report_once(
    container: Container, client: Client
) -> None:
    everything = entities_of("kh-c8-saas-10reports-only.json")
    two = entities_of("kh-c8-saas-2reports-export-response.json")
    assert {e["id"] for e in two} <= {e["id"] for e in everything}
    _, answer = imported(container, client, two + everything)
    assert [i["sourceId"] for i in answer] == list(dict.fromkeys(e["id"] for e in two + everything))
    assert len(answer) == len(everything)
