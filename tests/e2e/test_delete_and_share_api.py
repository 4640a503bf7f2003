"""DELETE /api/public/report/{id} and /dashboard/{id}, and POST /api/public/share/enable and
/disable, over HTTP. A deleted report leaves nothing pointing at it: every dashboard and every
combined report that showed it still exports."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from application.use_cases.load_seed import Seed
from application.use_cases.set_sharing import SHARING_FLAG
from entrypoints.container import Container
from tests.builders.domain import combined_report, dashboard_of, process_report
from tests.conftest import AUTH
from tests.e2e.importing import (
    DEMO_COLLECTION,
    DEMO_COMBINED,
    DEMO_COMBINED_CHILDREN,
    DEMO_DECISION_DASHBOARD,
    DEMO_OVERVIEW_DASHBOARD,
    EXPORT_DASHBOARDS,
    EXPORT_REPORTS,
    Client,
    error_body,
    export_dashboards,
    export_reports,
    ids_in,
)

APPROVED, REJECTED = DEMO_COMBINED_CHILDREN
OPEN_INVOICES = "6441b60c-eb39-476c-b84b-7c96aa9f986a"
APPROVAL_TIME = "1825b576-b577-4673-a8dc-1f3a616e73c0"


def delete(client: Client, kind: str, entity_id: str) -> int:
    response = client.delete(f"/api/public/{kind}/{entity_id}", headers=AUTH)
    if response.status_code == 204:
        assert response.content == b""
    return response.status_code


def tile_ids(client: Client, dashboard_id: str) -> list[str]:
    (board,) = [e for e in export_dashboards(client, [dashboard_id]) if e["id"] == dashboard_id]
    return [tile["id"] for tile in board["tiles"]]


def sharing_flag(container: Container) -> bool | None:
    """The stored flag as the table holds it (None: never set)."""
    with container.engine().connect() as connection:
        value = connection.execute(
            text("SELECT value FROM setting WHERE name = :name"), {"name": SHARING_FLAG}
        ).scalar_one_or_none()
    return None if value is None else value == "true"


# --- reports ---------------------------------------------------------------------------------


def test_deleting_a_report_answers_204_with_an_empty_body_and_the_report_is_gone(
    demo_client: Client,
) -> None:
    assert delete(demo_client, "report", OPEN_INVOICES) == 204
    response = demo_client.post(EXPORT_REPORTS, json=[OPEN_INVOICES], headers=AUTH)
    error_body(response, 404, "notFoundError")
    assert OPEN_INVOICES not in ids_in(demo_client, "report", DEMO_COLLECTION)
    assert OPEN_INVOICES not in tile_ids(demo_client, DEMO_OVERVIEW_DASHBOARD)


def test_a_deleted_report_is_taken_off_its_dashboard_and_out_of_its_combined_report(
    demo_client: Client,
) -> None:
    before = tile_ids(demo_client, DEMO_OVERVIEW_DASHBOARD)
    assert APPROVED in before
    assert delete(demo_client, "report", APPROVED) == 204
    exported = export_dashboards(demo_client, [DEMO_OVERVIEW_DASHBOARD])
    assert APPROVED not in {e["id"] for e in exported}
    board = exported[-1]
    assert [t["id"] for t in board["tiles"]] == [t for t in before if t != APPROVED]
    assert [t["type"] for t in board["tiles"]].count("text") == 1
    combined = next(e for e in exported if e["id"] == DEMO_COMBINED)
    assert combined["data"]["reports"] == [{"id": REJECTED, "color": "#db3e00"}]
    assert [e["id"] for e in export_reports(demo_client, [DEMO_COMBINED])] == [
        DEMO_COMBINED,
        REJECTED,
    ]


def test_a_report_on_several_dashboards_and_combined_reports_leaves_all_of_them(
    container: Container, client: Client
) -> None:
    container.load_seed()(
        Seed(
            reports=(
                process_report("r1"),
                process_report("r2"),
                combined_report("c1", ["r1", "r2"]),
                combined_report("c2", ["r2", "r1"]),
            ),
            dashboards=(
                dashboard_of("d1", "r1"),
                dashboard_of("d2", "r2", "r1", "c1"),
                dashboard_of("d3", "c2"),
            ),
        )
    )
    assert delete(client, "report", "r1") == 204
    assert tile_ids(client, "d1") == []
    assert tile_ids(client, "d2") == ["r2", "c1"]
    exported = {e["id"]: e for e in export_reports(client, ["c1", "c2"])}
    assert [c["id"] for c in exported["c1"]["data"]["reports"]] == ["r2"]
    assert [c["id"] for c in exported["c2"]["data"]["reports"]] == ["r2"]
    assert set(exported) == {"c1", "c2", "r2"}


def test_deleting_a_combined_report_leaves_its_children(demo_client: Client) -> None:
    assert delete(demo_client, "report", DEMO_COMBINED) == 204
    assert DEMO_COMBINED not in tile_ids(demo_client, DEMO_OVERVIEW_DASHBOARD)
    children = export_reports(demo_client, DEMO_COMBINED_CHILDREN)
    assert [e["id"] for e in children] == list(DEMO_COMBINED_CHILDREN)


@pytest.mark.parametrize("kind", ["report", "dashboard"])
def test_deleting_an_unknown_entity_is_not_found(demo_client: Client, kind: str) -> None:
    response = demo_client.delete(f"/api/public/{kind}/no-such-{kind}", headers=AUTH)
    body = error_body(response, 404, "notFoundError")
    assert f"no-such-{kind}" in body["detailedMessage"]


@pytest.mark.parametrize("kind", ["report", "dashboard"])
def test_deleting_an_entity_twice_is_not_found_the_second_time(
    demo_client: Client, kind: str
) -> None:
    entity_id = OPEN_INVOICES if kind == "report" else DEMO_DECISION_DASHBOARD
    assert delete(demo_client, kind, entity_id) == 204
    assert delete(demo_client, kind, entity_id) == 404


@pytest.mark.parametrize("flag", ["managementReport", "instantPreviewReport"])
def test_a_report_optimize_maintains_itself_cannot_be_deleted(
    container: Container, client: Client, flag: str
) -> None:
    special_fields: dict[str, Any] = {flag: True}
    special = process_report("special", **special_fields)
    container.load_seed()(
        Seed(
            reports=(special, process_report("plain")),
            dashboards=(dashboard_of("board", "special", "plain"),),
        )
    )
    response = client.delete("/api/public/report/special", headers=AUTH)
    body = error_body(response, 400, "badRequestError")
    assert "special" in body["detailedMessage"]
    assert [e["id"] for e in export_reports(client, ["special"])] == ["special"]
    assert tile_ids(client, "board") == ["special", "plain"]


# --- dashboards ------------------------------------------------------------------------------


def test_deleting_a_dashboard_answers_204_and_leaves_its_reports(demo_client: Client) -> None:
    on_board = [
        e["id"]
        for e in export_dashboards(demo_client, [DEMO_OVERVIEW_DASHBOARD])
        if e["exportEntityType"] != "dashboard"
    ]
    assert delete(demo_client, "dashboard", DEMO_OVERVIEW_DASHBOARD) == 204
    response = demo_client.post(EXPORT_DASHBOARDS, json=[DEMO_OVERVIEW_DASHBOARD], headers=AUTH)
    error_body(response, 404, "notFoundError")
    assert ids_in(demo_client, "dashboard", DEMO_COLLECTION) == [DEMO_DECISION_DASHBOARD]
    assert [e["id"] for e in export_reports(demo_client, on_board)] == on_board
    assert set(on_board) <= set(ids_in(demo_client, "report", DEMO_COLLECTION))


def test_deleting_one_dashboard_leaves_another_that_shares_its_reports(
    container: Container, client: Client
) -> None:
    container.load_seed()(
        Seed(
            reports=(process_report("r1"),),
            dashboards=(dashboard_of("d1", "r1"), dashboard_of("d2", "r1")),
        )
    )
    assert delete(client, "dashboard", "d1") == 204
    assert tile_ids(client, "d2") == ["r1"]


# --- sharing ---------------------------------------------------------------------------------


def test_sharing_is_enabled_and_disabled_with_204_and_one_stored_flag(
    container: Container, client: Client
) -> None:
    assert sharing_flag(container) is None
    enabled = client.post("/api/public/share/enable", headers=AUTH)
    assert (enabled.status_code, enabled.content) == (204, b"")
    assert sharing_flag(container) is True
    disabled = client.post("/api/public/share/disable", headers=AUTH)
    assert (disabled.status_code, disabled.content) == (204, b"")
    assert sharing_flag(container) is False
    again = client.post("/api/public/share/disable", headers=AUTH)
    assert again.status_code == 204
    assert sharing_flag(container) is False


# --- authentication --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", f"/api/public/report/{OPEN_INVOICES}"),
        ("DELETE", f"/api/public/dashboard/{DEMO_OVERVIEW_DASHBOARD}"),
        ("POST", "/api/public/share/enable"),
        ("POST", "/api/public/share/disable"),
    ],
)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}], ids=["none", "wrong"])
def test_delete_and_share_need_the_token_and_change_nothing_without_it(
    container: Container,
    demo_client: Client,
    method: str,
    path: str,
    headers: dict[str, str],
) -> None:
    response = demo_client.request(method, path, headers=headers)
    error_body(response, 401, "notAuthorizedError")
    assert OPEN_INVOICES in tile_ids(demo_client, DEMO_OVERVIEW_DASHBOARD)
    assert sharing_flag(container) is None
