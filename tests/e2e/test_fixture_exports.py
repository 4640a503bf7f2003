"""Real Optimize export files go through the export path: stored as entities, exported over
HTTP, and compared to the file. Only `sourceIndexVersion` may differ (boardport stamps its own),
plus the optional fields a file omits, which an export always writes (`description: null`,
`instantPreviewDashboard: false`). Report order is boardport's own (first mention), so reports
are compared by ID; dashboards keep the request order."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from application.use_cases.load_seed import Seed
from domain.collection import Collection
from domain.export_format.reader import iter_dashboards, iter_reports, read_export_file
from domain.json_document import JsonValue
from entrypoints.container import Container
from tests.conftest import AUTH
from tests.optimize_fixtures import (
    CURRENT_LAYOUT_DASHBOARD_FILES,
    CURRENT_LAYOUT_REPORT_FILES,
    load_fixture,
)


def store_as_is(container: Container, document: JsonValue) -> list[dict[str, JsonValue]]:
    assert isinstance(document, list)
    entries = read_export_file(document)
    collection_ids = {e.entity.collection_id for e in entries if e.entity.collection_id is not None}
    created = datetime(2024, 1, 1, tzinfo=UTC)
    container.load_seed()(
        Seed(
            collections=tuple(Collection(c, c, None, created) for c in sorted(collection_ids)),
            reports=tuple(iter_reports(entries)),
            dashboards=tuple(iter_dashboards(entries)),
        )
    )
    return [e for e in document if isinstance(e, dict)]


def comparable(entity: dict[str, JsonValue]) -> dict[str, JsonValue]:
    normal = {k: v for k, v in entity.items() if k != "sourceIndexVersion"}
    normal.setdefault("description", None)
    if entity["exportEntityType"] == "dashboard":
        normal.setdefault("instantPreviewDashboard", False)
    return normal


def by_id(entities: list[dict[str, JsonValue]]) -> dict[str, dict[str, JsonValue]]:
    return {str(e["id"]): comparable(e) for e in entities}


@pytest.mark.parametrize("name", CURRENT_LAYOUT_DASHBOARD_FILES)
def test_a_real_dashboard_export_comes_back_as_the_file_holds_it(
    container: Container,
    client: TestClient[Litestar],
    name: str,
) -> None:
    entities = store_as_is(container, load_fixture(name))
    dashboard_ids = [e["id"] for e in entities if e["exportEntityType"] == "dashboard"]
    response = client.post(
        "/api/public/export/dashboard/definition/json", json=dashboard_ids, headers=AUTH
    )
    assert response.status_code == 200
    exported = response.json()
    assert by_id(exported) == by_id(entities)
    assert [e["id"] for e in exported if e["exportEntityType"] == "dashboard"] == dashboard_ids
    assert len(exported) == len(entities)


@pytest.mark.parametrize("name", CURRENT_LAYOUT_REPORT_FILES)
def test_a_real_report_export_comes_back_as_the_file_holds_it(
    container: Container,
    client: TestClient[Litestar],
    name: str,
) -> None:
    entities = store_as_is(container, load_fixture(name))
    report_ids = [e["id"] for e in entities]
    response = client.post(
        "/api/public/export/report/definition/json", json=report_ids, headers=AUTH
    )
    assert response.status_code == 200
    assert [e["id"] for e in response.json()] == report_ids
    assert by_id(response.json()) == by_id(entities)
