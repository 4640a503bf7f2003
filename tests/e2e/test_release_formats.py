"""Every Optimize release in and out over HTTP: files of older releases import (migrated up
first), exports are written for an older release on request (MIGRATIONS.md, PUBLIC_API.md)."""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from application.ports.export import ExportTarget
from application.use_cases.load_seed import Seed
from domain.export_format.releases import release_named
from entrypoints.asgi_shared.export_answers import STREAM_ABOVE_BYTES
from entrypoints.container import Container
from tests.builders.domain import dashboard_of
from tests.builders.wire import Entity
from tests.conftest import AUTH
from tests.e2e.importing import (
    DEMO_OVERVIEW_DASHBOARD,
    EXPORT_DASHBOARDS,
    EXPORT_REPORTS,
    Client,
    assert_collection_empty,
    create_collection,
    error_body,
    id_map,
    new_ids,
    post_import,
)
from tests.e2e.test_export_streaming import large_world
from tests.exporting import exported
from tests.optimize_fixtures import LEGACY_LAYOUT_FILE, load_fixture

SEED_REPORT_IDS = [
    "61ae2232-51e1-4c35-b72c-c7152ba264f9",
    "625c2411-b95f-4442-936b-1976b9511d4a",
    "94a7252e-d5c3-45ea-9906-75271cc0cac2",
]


def legacy_entities() -> list[Entity]:
    document = load_fixture(LEGACY_LAYOUT_FILE)
    assert isinstance(document, list)
    return [e for e in document if isinstance(e, dict)]


def prepared(container: Container, client: Client, entities: list[Entity]) -> str:
    collection_id = create_collection(client, "Imported")
    container.prepare_for_import()([*entities], collection_id)
    return collection_id


def export_at(client: Client, path: str, ids: list[str], release: str, **query: str) -> Any:
    return client.post(path, json=ids, headers=AUTH, params={"targetVersion": release, **query})


def test_the_legacy_file_imports_and_a_dry_run_says_which_format_each_entity_was_read_as(
    container: Container, client: Client
) -> None:
    entities = legacy_entities()
    collection_id = prepared(container, client, entities)
    dry = post_import(client, collection_id, entities, dry_run=True)
    assert dry.status_code == 200, dry.text
    assert [(i["sourceId"], i["readAsRelease"]) for i in dry.json()] == [
        (e["id"], "3.9" if e["exportEntityType"] == "dashboard" else "3.8 to 3.9") for e in entities
    ]
    assert_collection_empty(client, collection_id)
    response = post_import(client, collection_id, entities)
    assert response.status_code == 200, response.text
    assert all("readAsRelease" not in i for i in response.json())


def comparable_at_3_9(entity: Entity, ids: dict[str, str]) -> Entity:
    """The entity modulo ids, collectionId, configuration.xml and the defaults the steps up add
    (3.9's `isKpi` false for a null, `horizontalBar` false)."""
    normal = copy.deepcopy(entity)
    normal["id"] = ids.get(normal["id"], normal["id"])
    normal.pop("collectionId")
    for tile in normal.get("reports", []):
        tile["id"] = ids.get(tile["id"], tile["id"])
    configuration = normal.get("data", {}).get("configuration")
    if configuration is not None:
        configuration.pop("xml")
        configuration.setdefault("horizontalBar", False)
        if configuration["targetValue"]["isKpi"] is None:
            configuration["targetValue"]["isKpi"] = False
    return normal


def test_the_legacy_file_exports_at_its_own_release_as_the_file_modulo_ids_and_defaults(
    container: Container, client: Client
) -> None:
    entities = legacy_entities()
    collection_id = prepared(container, client, entities)
    answer = post_import(client, collection_id, entities).json()
    ids = id_map(answer)
    response = export_at(client, EXPORT_DASHBOARDS, new_ids(answer, "dashboard"), "3.9")
    assert response.status_code == 200, response.text
    exported = response.json()
    assert sorted(e["id"] for e in exported) == sorted(ids[e["id"]] for e in entities)
    expected = {ids[e["id"]]: comparable_at_3_9(e, ids) for e in entities}
    for entity in exported:
        assert comparable_at_3_9(entity, {}) == expected[entity["id"]]


def test_one_file_may_mix_releases(container: Container, client: Client) -> None:
    entities = legacy_entities()
    dashboard_entity = entities[-1]
    # The dashboard as 3.11 wrote it, its reports as 3.9 did.
    tiles = [{**tile, "type": "optimize_report"} for tile in dashboard_entity["reports"]]
    modern = {k: v for k, v in dashboard_entity.items() if k != "reports"}
    modern.update(
        sourceIndexVersion=8, tiles=tiles, description=None, instantPreviewDashboard=False
    )
    mixed = [*entities[:-1], modern]
    collection_id = prepared(container, client, mixed)
    response = post_import(client, collection_id, mixed, dry_run=True)
    assert response.status_code == 200, response.text
    assert [i["readAsRelease"] for i in response.json()][-2:] == ["3.8 to 3.9", "3.11 to 8.10"]


def test_numbers_outside_3_3_to_current_are_still_an_index_version_mismatch_naming_entities(
    container: Container, client: Client
) -> None:
    entities = legacy_entities()
    entities[0] = {**entities[0], "sourceIndexVersion": 12}
    entities[-1] = {**entities[-1], "sourceIndexVersion": 3}
    collection_id = prepared(container, client, entities)
    body = error_body(
        post_import(client, collection_id, entities), 400, "importIndexVersionMismatch"
    )
    assert f'"{entities[0]["id"]}"' in body["detailedMessage"]
    assert f'"{entities[-1]["id"]}"' in body["detailedMessage"]
    assert {
        (m["sourceIndexVersion"], m["targetIndexVersion"]) for m in body["mismatchingIndices"]
    } == {(12, 11), (3, 8)}
    assert_collection_empty(client, collection_id)


def test_a_step_input_of_the_wrong_shape_is_an_invalid_file_naming_entity_and_field(
    container: Container, client: Client
) -> None:
    entities = legacy_entities()
    collection_id = prepared(container, client, entities)
    report = copy.deepcopy(entities[0])
    report["data"]["configuration"]["aggregationTypes"] = 7
    entities[0] = report
    body = error_body(post_import(client, collection_id, entities), 400, "importFileInvalid")
    assert f'report "{report["id"]}"' in body["detailedMessage"]
    assert "data.configuration.aggregationTypes" in body["detailedMessage"]
    assert_collection_empty(client, collection_id)


# --- export for an older release ---------------------------------------------------------------


def test_the_seed_example_at_3_7_is_the_seed_pages_format_field_by_field(
    demo_client: TestClient[Litestar],
) -> None:
    response = export_at(demo_client, EXPORT_DASHBOARDS, ["123", "456"], "3.7")
    assert response.status_code == 200, response.text
    assert "X-Boardport-Losses" not in response.headers
    body = response.json()
    latest = demo_client.post(EXPORT_DASHBOARDS, json=["123", "456"], headers=AUTH).json()
    assert [e["id"] for e in body] == [e["id"] for e in latest]
    reports, dashboards = body[:3], body[3:]
    assert [r["id"] for r in reports] == SEED_REPORT_IDS
    for report, current in zip(reports, latest[:3], strict=True):
        assert list(report) == [
            "id",
            "exportEntityType",
            "name",
            "sourceIndexVersion",
            "collectionId",
            "data",
        ]
        assert report["sourceIndexVersion"] == 8
        assert report["name"] == current["name"]
        data = report["data"]
        assert data["configuration"]["aggregationTypes"] == ["avg"]
        assert "instantPreviewReport" not in data
        assert "managementReport" not in data
        assert "horizontalBar" not in data["configuration"]
        assert data["definitions"] == current["data"]["definitions"]
        assert data["configuration"]["logScale"] is False
        assert data["view"] == current["data"]["view"]
    for dashboard_entity, current in zip(dashboards, latest[3:], strict=True):
        assert list(dashboard_entity) == [
            "id",
            "exportEntityType",
            "name",
            "sourceIndexVersion",
            "reports",
            "availableFilters",
            "collectionId",
        ]
        assert dashboard_entity["sourceIndexVersion"] == 5
        assert dashboard_entity["reports"] == [
            {k: v for k, v in t.items() if k != "type"} for t in current["tiles"]
        ]
        assert all("type" not in t for t in dashboard_entity["reports"])
    assert all("description" not in e for e in body)
    assert all("instantPreviewDashboard" not in e for e in body)


def test_an_older_release_that_cannot_hold_everything_is_refused_unless_loss_is_allowed(
    demo_client: TestClient[Litestar],
) -> None:
    dashboard_entity = DEMO_OVERVIEW_DASHBOARD  # a description, a text tile, a percentile
    refused = export_at(demo_client, EXPORT_DASHBOARDS, [dashboard_entity], "3.7")
    body = error_body(refused, 400, "badRequestError")
    assert f'dashboard "{dashboard_entity}"' in body["detailedMessage"]
    assert "text tile" in body["detailedMessage"]
    assert "description" in body["detailedMessage"]
    assert "allowLoss=true" in body["detailedMessage"]
    allowed = export_at(demo_client, EXPORT_DASHBOARDS, [dashboard_entity], "3.7", allowLoss="true")
    assert allowed.status_code == 200, allowed.text
    header = json.loads(allowed.headers["X-Boardport-Losses"])
    assert header["count"] == len(header["losses"]) > 0
    assert {"entityType": "dashboard", "id": dashboard_entity} in [
        {k: v for k, v in loss.items() if k in ("entityType", "id")} for loss in header["losses"]
    ]
    assert any(loss["field"] == "description" for loss in header["losses"])
    exported = allowed.json()
    assert all("description" not in e for e in exported)
    assert exported[-1]["sourceIndexVersion"] == 5


def test_an_unknown_release_is_a_bad_request_naming_the_known_ones(
    demo_client: TestClient[Litestar],
) -> None:
    for path in (EXPORT_DASHBOARDS, EXPORT_REPORTS):
        body = error_body(export_at(demo_client, path, ["123"], "3.2"), 400, "badRequestError")
        assert '"3.2"' in body["detailedMessage"]
        assert "3.3, 3.4" in body["detailedMessage"]
        assert "latest" in body["detailedMessage"]


def test_the_report_export_takes_a_target_too_and_the_cache_keeps_releases_apart(
    demo_client: TestClient[Litestar],
) -> None:
    ids = SEED_REPORT_IDS[:1]
    first = demo_client.post(EXPORT_REPORTS, json=ids, headers=AUTH).json()
    older = export_at(demo_client, EXPORT_REPORTS, ids, "3.7").json()
    again = demo_client.post(EXPORT_REPORTS, json=ids, headers=AUTH).json()
    older_again = export_at(demo_client, EXPORT_REPORTS, ids, "3.7").json()
    assert first[0]["sourceIndexVersion"] == again[0]["sourceIndexVersion"] == 11
    assert older[0]["sourceIndexVersion"] == older_again[0]["sourceIndexVersion"] == 8
    assert export_at(demo_client, EXPORT_REPORTS, ids, "8.10").json() == first


def test_a_large_export_for_an_older_release_is_streamed_and_equals_the_whole_export(
    container: Container,
    client: TestClient[Litestar],
) -> None:
    ids = large_world(container)
    release = release_named("3.7")
    whole = exported(container.export_uncached(), "dashboards", ids, ExportTarget(release))
    assert len(whole) > STREAM_ABOVE_BYTES
    response = export_at(client, EXPORT_DASHBOARDS, ids, "3.7")
    assert response.status_code == 200
    assert "content-length" not in response.headers
    assert response.content == whole
    entities = json.loads(response.content)
    assert {e["sourceIndexVersion"] for e in entities} == {4, 5, 8}


def test_a_large_export_that_loses_something_is_refused_before_the_first_byte(
    container: Container,
    client: TestClient[Litestar],
) -> None:
    ids = large_world(container)
    described = dataclasses.replace(dashboard_of("last", "r0-0"), description="Kept since 3.11")
    container.load_seed()(Seed(reports=(), dashboards=(described,)))
    losing = ExportTarget(release_named("3.10"), allow_loss=True)
    whole = exported(container.export_uncached(), "dashboards", [*ids, "last"], losing)
    assert whole.index(b'"last"') > STREAM_ABOVE_BYTES
    response = export_at(client, EXPORT_DASHBOARDS, [*ids, "last"], "3.10")
    body = error_body(response, 400, "badRequestError")
    assert body["detailedMessage"].startswith(
        "Release 3.10's format cannot hold all of this export: "
        'dashboard "last": description: "Kept since 3.11"'
    )
    allowed = export_at(client, EXPORT_DASHBOARDS, [*ids, "last"], "3.10", allowLoss="true")
    assert allowed.status_code == 200
    assert "content-length" not in allowed.headers
    header = json.loads(allowed.headers["X-Boardport-Losses"])
    assert header == {
        "count": 1,
        "losses": [
            {
                "entityType": "dashboard",
                "id": "last",
                "field": "description",
                "loss": '"Kept since 3.11" (descriptions exist from 3.11 on)',
            }
        ],
    }
    assert allowed.content == whole
