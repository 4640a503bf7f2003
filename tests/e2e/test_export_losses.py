"""What an older release cannot hold, over HTTP: the report export refuses it like the dashboard
export unless allowLoss=true, and X-Boardport-Losses lists every loss of an entity, not one."""

from __future__ import annotations

import json
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import AUTH
from tests.e2e.importing import (
    DEMO_OVERVIEW_DASHBOARD,
    EXPORT_DASHBOARDS,
    EXPORT_REPORTS,
    error_body,
)

# A demo report with a description, a 90th percentile beside the median, a horizontal bar and
# a KPI target "below": four things 3.7's format cannot hold.
APPROVAL_TIME = "1825b576-b577-4673-a8dc-1f3a616e73c0"
APPROVAL_TIME_LOSSES_AT_3_7 = [
    {
        "entityType": "single_process_report",
        "id": APPROVAL_TIME,
        "field": "description",
        "loss": '"Average time an invoice spends in the..." (descriptions exist from 3.11 on)',
    },
    {
        "entityType": "single_process_report",
        "id": APPROVAL_TIME,
        "field": "data.configuration.aggregationTypes[1]",
        "loss": "the percentile 90.0 (only the median)",
    },
    {
        "entityType": "single_process_report",
        "id": APPROVAL_TIME,
        "field": "data.configuration.horizontalBar",
        "loss": "is true",
    },
    {
        "entityType": "single_process_report",
        "id": APPROVAL_TIME,
        "field": "data.configuration.targetValue.durationProgress.target.isBelow",
        "loss": "is true",
    },
]


def export_at(client: TestClient[Litestar], path: str, ids: list[str], **query: str) -> Any:
    return client.post(path, json=ids, headers=AUTH, params={"targetVersion": "3.7", **query})


def test_a_report_export_that_loses_something_is_refused_without_allow_loss(
    demo_client: TestClient[Litestar],
) -> None:
    refused = export_at(demo_client, EXPORT_REPORTS, [APPROVAL_TIME])
    body = error_body(refused, 400, "badRequestError")
    assert "X-Boardport-Losses" not in refused.headers
    message = body["detailedMessage"]
    assert f'report "{APPROVAL_TIME}"' in message
    assert "description" in message
    assert "percentile 90.0" in message
    assert "allowLoss=true" in message
    explicit = export_at(demo_client, EXPORT_REPORTS, [APPROVAL_TIME], allowLoss="false")
    error_body(explicit, 400, "badRequestError")
    allowed = export_at(demo_client, EXPORT_REPORTS, [APPROVAL_TIME], allowLoss="true")
    assert allowed.status_code == 200, allowed.text
    (written,) = allowed.json()
    assert written["sourceIndexVersion"] == 8
    assert "description" not in written
    assert written["data"]["configuration"]["aggregationTypes"] == ["avg"]


def test_the_losses_header_lists_every_loss_of_an_entity_that_has_several(
    demo_client: TestClient[Litestar],
) -> None:
    allowed = export_at(demo_client, EXPORT_REPORTS, [APPROVAL_TIME], allowLoss="true")
    assert allowed.status_code == 200, allowed.text
    assert json.loads(allowed.headers["X-Boardport-Losses"]) == {
        "count": 4,
        "losses": APPROVAL_TIME_LOSSES_AT_3_7,
    }


def test_a_dashboards_losses_are_listed_with_its_reports_each_of_them_in_full(
    demo_client: TestClient[Litestar],
) -> None:
    """The demo overview: a description and a text tile of its own, several losses on some of
    its reports, one on others."""
    allowed = export_at(demo_client, EXPORT_DASHBOARDS, [DEMO_OVERVIEW_DASHBOARD], allowLoss="true")
    assert allowed.status_code == 200, allowed.text
    header = json.loads(allowed.headers["X-Boardport-Losses"])
    listed = [(loss["entityType"], loss["id"], loss["field"]) for loss in header["losses"]]
    assert header["count"] == len(listed) == 12
    assert [loss for loss in header["losses"] if loss["id"] == APPROVAL_TIME] == (
        APPROVAL_TIME_LOSSES_AT_3_7
    )
    assert [(t, f) for t, i, f in listed if i == DEMO_OVERVIEW_DASHBOARD] == [
        ("dashboard", "description"),
        ("dashboard", "tiles[0]"),
    ]
    kpi_report = "6441b60c-eb39-476c-b84b-7c96aa9f986a"
    assert [f for _, i, f in listed if i == kpi_report] == [
        "description",
        "data.configuration.targetValue.isKpi",
        "data.configuration.targetValue.countProgress.isBelow",
    ]
