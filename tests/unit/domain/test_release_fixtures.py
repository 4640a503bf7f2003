"""Every real export file (../shared/fixtures/optimize/, read in place) converted up to the
current format, and to every release and back."""

from __future__ import annotations

from typing import Any

import pytest

from domain.export_format.file_conversion import convert_file, entities_of
from domain.export_format.releases import LATEST, RELEASES
from tests.optimize_fixtures import (
    CURRENT_LAYOUT_DASHBOARD_FILES,
    CURRENT_LAYOUT_REPORT_FILES,
    LEGACY_LAYOUT_FILE,
    load_fixture,
)

ALL_FILES = (*CURRENT_LAYOUT_DASHBOARD_FILES, *CURRENT_LAYOUT_REPORT_FILES, LEGACY_LAYOUT_FILE)
CURRENT = {
    "single_process_report": 11,
    "single_decision_report": 10,
    "combined_report": 5,
    "dashboard": 8,
}


@pytest.mark.parametrize("name", ALL_FILES)
def test_every_real_file_converts_up_to_the_current_numbers(name: str) -> None:
    converted: list[dict[str, Any]] = entities_of(convert_file(load_fixture(name), LATEST))
    assert converted
    assert all(e["sourceIndexVersion"] == CURRENT[e["exportEntityType"]] for e in converted)
    assert all("tiles" in e for e in converted if e["exportEntityType"] == "dashboard")


@pytest.mark.parametrize("name", [*CURRENT_LAYOUT_DASHBOARD_FILES, *CURRENT_LAYOUT_REPORT_FILES])
def test_a_file_in_the_current_format_is_left_as_it_is(name: str) -> None:
    document = load_fixture(name)
    assert entities_of(convert_file(document, LATEST)) == document


def test_the_legacy_file_is_read_as_3_8_to_3_9_and_gains_tiles_and_the_later_defaults() -> None:
    document: Any = load_fixture(LEGACY_LAYOUT_FILE)
    assert isinstance(document, list)
    result = convert_file(document, LATEST)
    assert {c.conversion.read_as for c in result} == {"3.8 to 3.9", "3.9"}
    converted: list[dict[str, Any]] = entities_of(result)
    dashboard = converted[-1]
    original: Any = document[-1]
    assert "reports" not in dashboard
    assert [t["id"] for t in dashboard["tiles"]] == [r["id"] for r in original["reports"]]
    assert {t["type"] for t in dashboard["tiles"]} == {"optimize_report"}
    assert dashboard["description"] is None
    assert dashboard["instantPreviewDashboard"] is False
    for report, before in zip(converted[:-1], document[:-1], strict=True):
        assert isinstance(before, dict)
        assert report["data"]["instantPreviewReport"] is False
        assert report["data"]["configuration"]["targetValue"]["isKpi"] is False
        assert report["data"]["definitions"] == before["data"]["definitions"]


@pytest.mark.parametrize("name", ALL_FILES)
@pytest.mark.parametrize(
    "release", [r for r in RELEASES if r in ("3.3", "3.5", "3.7", "3.9", "3.10")]
)
def test_every_real_file_goes_to_an_older_release_and_back_up(name: str, release: str) -> None:
    older = convert_file(load_fixture(name), RELEASES[release], allow_loss=True)
    lossless = [c for c in older if not c.conversion.losses]
    back = convert_file([*entities_of(lossless)], LATEST)
    direct = {e["id"]: e for e in entities_of(convert_file(load_fixture(name), LATEST))}
    entity: Any
    for entity in entities_of(back):
        expected = direct[entity["id"]]
        if entity.get("data", {}).get("definitions") and release in ("3.3", "3.4"):
            continue  # below 3.5 the definition identifiers are drawn anew
        assert with_step_defaults(entity) == with_step_defaults(expected), entity["id"]


STEP_DEFAULTS: dict[str, Any] = {
    "logScale": False,
    "horizontalBar": False,
    "stackedBar": False,
    "measureVisualizations": {"frequency": "bar", "duration": "line"},
}


def with_step_defaults(entity: dict[str, Any]) -> dict[str, Any]:
    """The defaults the steps up write where a file left a field out (MIGRATIONS.md §3)."""
    if entity["exportEntityType"] == "dashboard":
        return {"instantPreviewDashboard": False, **entity}
    configuration = entity["data"].get("configuration")
    if isinstance(configuration, dict) and "aggregationTypes" in configuration:
        return {
            **entity,
            "data": {**entity["data"], "configuration": {**STEP_DEFAULTS, **configuration}},
        }
    return entity
