"""An export for an older release writes each entity's keys in the order that release's
Optimize wrote them: the seed page's 3.7 example, and the real files of the releases before and
after 3.10's tiles (MIGRATIONS.md §2)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from domain.export_format.releases import RELEASES
from tests.conftest import AUTH
from tests.e2e.importing import EXPORT_DASHBOARDS
from tests.optimize_fixtures import LEGACY_LAYOUT_FILE, load_fixture

# The seed page's example answer (Optimize 3.7's documentation), its first report and first
# dashboard, the report's data and all but the first tile left out. The values are the ones the
# README's "The seed example" shows for the demo data.
SEED_PAGE_EXAMPLE = json.loads("""[
  {"id": "61ae2232-51e1-4c35-b72c-c7152ba264f9", "exportEntityType": "single_process_report",
   "name": "Number: Process instance duration", "sourceIndexVersion": 8, "collectionId": null,
   "data": {}},
  {"id": "123", "exportEntityType": "dashboard", "name": "Dashboard 1", "sourceIndexVersion": 5,
   "reports": [
     {"id": "61ae2232-51e1-4c35-b72c-c7152ba264f9", "position": {"x": 0, "y": 0},
      "dimensions": {"width": 6, "height": 4}, "configuration": null}],
   "availableFilters": [], "collectionId": null}
]""")
# A real file of the tiles layout (Optimize 8.4): its dashboards' keys, release by release.
TILES_LAYOUT_FILE = "kh-c8-8reports-1dashboard.json"


def key_order(value: Any) -> list[tuple[str, ...]]:
    """Every object's keys in the order written, with where the object is, as a list."""
    found: list[tuple[str, ...]] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            found.append((where, *node))
            for key, child in node.items():
                walk(child, f"{where}.{key}")
        elif isinstance(node, list):
            for child in node[:1]:  # the first of a list stands for the others
                walk(child, f"{where}[]")

    walk(value, "")
    return found


def exported(client: TestClient[Litestar], release: str) -> list[dict[str, Any]]:
    answer = client.post(
        EXPORT_DASHBOARDS, json=["123", "456"], headers=AUTH, params={"targetVersion": release}
    )
    assert answer.status_code == 200, answer.text
    # json.loads keeps the order of the bytes: the order is the one on the wire.
    entities: list[dict[str, Any]] = answer.json()
    return entities


def dashboard_keys_in(file_name: str) -> list[str]:
    document = load_fixture(file_name)
    assert isinstance(document, list)
    dashboards = [
        e for e in document if isinstance(e, dict) and e["exportEntityType"] == "dashboard"
    ]
    assert dashboards, file_name
    return list(dashboards[0])


def test_the_seed_example_at_3_7_has_the_key_order_of_the_seed_page(
    demo_client: TestClient[Litestar],
) -> None:
    page_report, page_dashboard = SEED_PAGE_EXAMPLE
    envelope = {k: v for k, v in page_report.items() if k != "data"}
    report, dashboard = (
        e for e in exported(demo_client, "3.7") if e["id"] in (page_report["id"], "123")
    )
    assert list(report) == list(page_report)
    assert {k: report[k] for k in envelope} == envelope
    assert key_order(dashboard) == key_order(page_dashboard)
    assert list(dashboard)[-1] == "collectionId"
    # Values as the page prints them, so that the order compared is of the page's own example.
    assert {k: v for k, v in dashboard.items() if k != "reports"} == {
        k: v for k, v in page_dashboard.items() if k != "reports"
    }
    assert dashboard["reports"][0] == page_dashboard["reports"][0]


@pytest.mark.parametrize("release", [n for n, r in RELEASES.items() if r.dashboard < 7])
def test_every_release_of_the_reports_layout_writes_the_keys_of_the_real_3_9_file(
    demo_client: TestClient[Litestar], release: str
) -> None:
    expected = dashboard_keys_in(LEGACY_LAYOUT_FILE)
    dashboards = [e for e in exported(demo_client, release) if "reports" in e]
    assert [list(d) for d in dashboards] == [expected, expected]


def test_3_10_writes_the_keys_of_the_real_tiles_file_without_the_description(
    demo_client: TestClient[Litestar],
) -> None:
    expected = [k for k in dashboard_keys_in(TILES_LAYOUT_FILE) if k != "description"]
    dashboards = [e for e in exported(demo_client, "3.10") if "tiles" in e]
    assert [list(d) for d in dashboards] == [expected, expected]
