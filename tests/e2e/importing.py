"""Shared helpers for the end-to-end tests: the public API's paths, the demo data's IDs, the HTTP
calls that prepare a target collection, and the normalisation that compares what was imported
with what the file held. The export entities a file holds are built by `tests.builders.wire`."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import TestClient

from tests.builders.wire import DECISION_KEY, INVOICE_KEY, Entity
from tests.conftest import AUTH
from tests.optimize_fixtures import REPO_ROOT

Client = TestClient[Litestar]

DEMO_FOLDER = REPO_ROOT / "entrypoints" / "demo"
INVOICE_BPMN = (DEMO_FOLDER / "invoice.bpmn").read_text(encoding="utf-8")
INVOICE_DMN = (DEMO_FOLDER / "invoice-classification.dmn").read_text(encoding="utf-8")

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
