"""Shared helpers for the import end-to-end tests: small export entities in the wire format,
the HTTP calls that prepare a target collection, and the normalisation that compares what was
imported with what the file held."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import AUTH
from tests.export_entities import process_report_data
from tests.optimize_fixtures import REPO_ROOT

Entity = dict[str, Any]
Client = TestClient[Litestar]

DEMO_FOLDER = REPO_ROOT / "entrypoints" / "demo"
INVOICE_BPMN = (DEMO_FOLDER / "invoice.bpmn").read_text(encoding="utf-8")
INVOICE_DMN = (DEMO_FOLDER / "invoice-classification.dmn").read_text(encoding="utf-8")
INVOICE_KEY = "invoice"
DECISION_KEY = "invoiceClassification"

IMPORT = "/api/public/import"
EXPORT_DASHBOARDS = "/api/public/export/dashboard/definition/json"
EXPORT_REPORTS = "/api/public/export/report/definition/json"
COLLECTIONS = "/api/public/collection"
DEFINITIONS = "/api/public/definition"

# The demo data (entrypoints/demo), as the tests rely on it.
DEMO_COLLECTION = "7d1c0a52-6f4e-4b8e-9a51-3c2f1e0b9d11"
DEMO_OVERVIEW_DASHBOARD = "d43ad74f-b77c-4fc2-9b44-41a5eec07e7e"
DEMO_DECISION_DASHBOARD = "faefcac4-249f-4b95-988b-cf4a857c0ef4"
DEMO_COMBINED = "6152382f-f263-404e-bc4d-69430e975662"
DEMO_COMBINED_CHILDREN = (
    "922176a0-1e00-4a3b-9e72-bcb1b35cb491",
    "b0e5d7c4-3a8f-4f61-9c2e-5d4a7b19e6f3",
)
DEMO_TENANT = "<default>"


# --- export entities in the wire format --------------------------------------------------------


def process_report(
    report_id: str,
    *,
    key: str = INVOICE_KEY,
    versions: Sequence[str] = ("all",),
    tenants: Sequence[str | None] = (None,),
    name: str | None = None,
    description: str | None = None,
    source_index_version: int = 11,
    xml: str | None = "<placeholder/>",
    **data: Any,
) -> Entity:
    """A single process report as Optimize exports it (a trimmed demo report)."""
    body = process_report_data(
        key=key,
        definition_name="Invoice Approval",
        versions=versions,
        tenants=tenants,
        xml=xml,
        userTaskReport=False,
        **data,
    )
    return {
        "id": report_id,
        "exportEntityType": "single_process_report",
        "name": name or f"Report {report_id}",
        "description": description,
        "sourceIndexVersion": source_index_version,
        "collectionId": "somewhere-else",
        "data": body,
    }


def decision_report(
    report_id: str,
    *,
    key: str = DECISION_KEY,
    versions: Sequence[str] = ("all",),
    tenants: Sequence[str | None] = (None,),
    source_index_version: int = 10,
) -> Entity:
    return {
        "id": report_id,
        "exportEntityType": "single_decision_report",
        "name": f"Decision report {report_id}",
        "description": None,
        "sourceIndexVersion": source_index_version,
        "collectionId": None,
        "data": {
            "configuration": {"color": "#1991c8", "xml": None},
            "definitions": [
                {
                    "identifier": "definition",
                    "key": key,
                    "name": "Invoice Classification",
                    "displayName": "Invoice Classification",
                    "versions": list(versions),
                    "tenantIds": list(tenants),
                }
            ],
            "filter": [],
            "view": {"properties": ["frequency"]},
            "groupBy": {"type": "matchedRule", "value": None},
            "distributedBy": {"type": "none", "value": None},
            "visualization": "table",
        },
    }


def combined_report(
    report_id: str, children: Sequence[str], *, source_index_version: int = 5
) -> Entity:
    colors = ("#1991c8", "#db3e00", "#00d0a3")
    return {
        "id": report_id,
        "exportEntityType": "combined_report",
        "name": f"Combined {report_id}",
        "description": None,
        "sourceIndexVersion": source_index_version,
        "collectionId": None,
        "data": {
            "configuration": {"pointMarkers": True, "yLabel": "Invoices"},
            "visualization": "line",
            "reports": [
                {"id": child, "color": colors[i % len(colors)]} for i, child in enumerate(children)
            ],
        },
    }


def report_tile(report_id: str, y: int = 0) -> Entity:
    return {
        "id": report_id,
        "position": {"x": 0, "y": y},
        "dimensions": {"width": 6, "height": 4},
        "type": "optimize_report",
        "configuration": None,
    }


def text_tile(text: str = "Hello", y: int = 0) -> Entity:
    return {
        "id": "",
        "position": {"x": 6, "y": y},
        "dimensions": {"width": 12, "height": 2},
        "type": "text",
        "configuration": {"text": {"root": {"type": "root", "children": [], "text": text}}},
    }


def external_tile(url: str = "https://example.com/status", y: int = 0) -> Entity:
    return {
        "id": "",
        "position": {"x": 0, "y": y},
        "dimensions": {"width": 18, "height": 6},
        "type": "external_url",
        "configuration": {"external": url},
    }


def dashboard(
    dashboard_id: str,
    report_ids: Sequence[str] = (),
    *,
    extra_tiles: Sequence[Entity] = (),
    filters: Sequence[Entity] = (),
    description: str | None = None,
    source_index_version: int = 8,
) -> Entity:
    tiles = [report_tile(r, y=4 * i) for i, r in enumerate(report_ids)]
    return {
        "id": dashboard_id,
        "exportEntityType": "dashboard",
        "name": f"Dashboard {dashboard_id}",
        "description": description,
        "sourceIndexVersion": source_index_version,
        "collectionId": None,
        "tiles": [*tiles, *extra_tiles],
        "availableFilters": list(filters),
        "instantPreviewDashboard": False,
    }


# --- HTTP -----------------------------------------------------------------------------------


def create_collection(client: Client, name: str = "Target") -> str:
    response = client.post(f"{COLLECTIONS}/create", json={"name": name}, headers=AUTH)
    assert response.status_code == 200, response.text
    collection_id = response.json()["id"]
    assert isinstance(collection_id, str)
    return collection_id


def register_definition(client: Client, **body: Any) -> httpx.Response:
    return client.post(DEFINITIONS, json=body, headers=AUTH)


def add_scope(
    client: Client,
    collection_id: str,
    definition_type: str,
    key: str,
    tenants: Sequence[str | None] = (None,),
) -> None:
    entry = {"definitionType": definition_type, "definitionKey": key, "tenants": list(tenants)}
    response = client.put(f"{COLLECTIONS}/{collection_id}/scope", json=[entry], headers=AUTH)
    assert response.status_code == 204, response.text


def ready_collection(
    client: Client, *, tenants: Sequence[str | None] = (None,), name: str = "Target"
) -> str:
    """A new collection whose scope holds the invoice process and decision for `tenants`, both
    registered (for every tenant) with the demo XML."""
    for definition_type, xml in (("process", INVOICE_BPMN), ("decision", INVOICE_DMN)):
        response = register_definition(client, type=definition_type, xml=xml)
        assert response.status_code == 200, response.text
    collection_id = create_collection(client, name)
    add_scope(client, collection_id, "process", INVOICE_KEY, tenants)
    add_scope(client, collection_id, "decision", DECISION_KEY, tenants)
    return collection_id


def post_import(
    client: Client,
    collection_id: str | None,
    body: Any,
    *,
    dry_run: bool = False,
    raw: bool = False,
) -> httpx.Response:
    """POSTs an import; `body` is JSON-encoded unless `raw` (then str or bytes as they are)."""
    if raw:
        content = body.encode() if isinstance(body, str) else body
    else:
        content = json.dumps(body).encode()
    params = {} if collection_id is None else {"collectionId": collection_id}
    if dry_run:
        params["dryRun"] = "true"
    headers = {**AUTH, "Content-Type": "application/json"}
    return client.post(IMPORT, content=content, params=params, headers=headers)


def ids_in(client: Client, kind: str, collection_id: str) -> list[str]:
    """The IDs the listing endpoint answers for `kind` ("report" or "dashboard")."""
    response = client.get(
        f"/api/public/{kind}", params={"collectionId": collection_id}, headers=AUTH
    )
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()]


def assert_collection_empty(client: Client, collection_id: str) -> None:
    assert ids_in(client, "report", collection_id) == []
    assert ids_in(client, "dashboard", collection_id) == []


def export(client: Client, path: str, ids: Iterable[str]) -> list[Entity]:
    response = client.post(path, json=list(ids), headers=AUTH)
    assert response.status_code == 200, response.text
    exported: list[Entity] = response.json()
    return exported


def export_dashboards(client: Client, ids: Iterable[str]) -> list[Entity]:
    return export(client, EXPORT_DASHBOARDS, ids)


def export_reports(client: Client, ids: Iterable[str]) -> list[Entity]:
    return export(client, EXPORT_REPORTS, ids)


def error_body(response: httpx.Response, status: int, code: str) -> Entity:
    """Asserts the contract's error answer and returns its body."""
    assert response.status_code == status, response.text
    body: Entity = response.json()
    assert body["errorCode"] == code, body
    assert isinstance(body["errorMessage"], str)
    assert body["errorMessage"]
    assert isinstance(body["detailedMessage"], str)
    assert body["detailedMessage"]
    return body


def id_map(answer: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Old ID (in the file) to new ID, from an import answer."""
    return {str(item["sourceId"]): str(item["id"]) for item in answer}


def new_ids(answer: Sequence[Mapping[str, Any]], entity_type: str) -> list[str]:
    return [str(item["id"]) for item in answer if item["entityType"] == entity_type]


# --- comparing entities modulo IDs -------------------------------------------------------------


def comparable(entity: Mapping[str, Any], ids: Mapping[str, str] | None = None) -> Entity:
    """`entity` with its ID and every report reference mapped through `ids` (old to new), and
    without what an import may change: `collectionId`, `sourceIndexVersion`,
    `configuration.xml`. The optional fields an export always writes get their defaults."""
    mapping = ids or {}
    normal: Entity = copy.deepcopy(dict(entity))
    normal.pop("collectionId", None)
    normal.pop("sourceIndexVersion", None)
    normal["id"] = mapping.get(normal["id"], normal["id"])
    normal.setdefault("description", None)
    if normal["exportEntityType"] == "dashboard":
        normal.setdefault("instantPreviewDashboard", False)
        normal.setdefault("availableFilters", [])
        for tile in normal.get("tiles", []):
            if tile.get("id"):
                tile["id"] = mapping.get(tile["id"], tile["id"])
        return normal
    data = normal["data"]
    configuration = data.get("configuration")
    if isinstance(configuration, dict):
        configuration.pop("xml", None)
    for child in data.get("reports") or []:
        child["id"] = mapping.get(child["id"], child["id"])
    return normal


def by_id(
    entities: Iterable[Mapping[str, Any]], ids: Mapping[str, str] | None = None
) -> dict[str, Entity]:
    """The comparable form of each entity, by its (mapped) ID."""
    normal = [comparable(e, ids) for e in entities]
    return {e["id"]: e for e in normal}
