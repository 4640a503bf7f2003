from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

import pytest

from domain.dashboard import Dashboard
from domain.errors import DanglingReference, NotFound
from domain.export import (
    DASHBOARD_REPORTS_MISSING,
    ExportPlan,
    plan_dashboard_export,
    plan_report_export,
    unique_in_order,
)
from domain.report import Report
from tests.builders.domain import (
    combined_report,
    dashboard,
    dashboard_of,
    process_report,
    text_tile,
)

E = TypeVar("E", Report, Dashboard)


def finder(entities: Iterable[E]) -> Callable[[frozenset[str]], Mapping[str, E]]:
    by_id = {e.id: e for e in entities}

    def find(ids: frozenset[str]) -> Mapping[str, E]:
        return {i: by_id[i] for i in ids if i in by_id}

    return find


def ids(entities: Iterable[Report] | Iterable[Dashboard]) -> list[str]:
    return [e.id for e in entities]


REPORTS = [process_report(r) for r in ("r1", "r2", "r3", "r4")] + [
    combined_report("c1", ["r3", "r4"])
]


def export(
    requested: list[str], dashboards: list[Dashboard], reports: list[Report] = REPORTS
) -> ExportPlan[Report]:
    return plan_dashboard_export(unique_in_order(requested), finder(dashboards), finder(reports))


def test_the_seed_example_lists_three_reports_then_two_dashboards() -> None:
    d123 = dashboard_of("123", "r1", "r2")
    d456 = dashboard_of("456", "r3")
    result = export(["123", "456"], [d123, d456])
    assert ids(result.reports) == ["r1", "r2", "r3"]
    assert ids(result.dashboards) == ["123", "456"]
    assert [type(e).__name__ for e in [*result.reports, *result.dashboards]] == ["Report"] * 3 + [
        "Dashboard"
    ] * 2


def test_exporting_two_dashboards_that_share_a_report_lists_it_once() -> None:
    result = export(["a", "b"], [dashboard_of("a", "r1", "r2"), dashboard_of("b", "r2", "r1")])
    assert ids(result.reports) == ["r1", "r2"]


def test_dashboards_come_in_request_order_and_duplicates_collapse() -> None:
    boards = [dashboard_of("a", "r1"), dashboard_of("b", "r2")]
    result = export(["b", "a", "b"], boards)
    assert ids(result.dashboards) == ["b", "a"]
    assert ids(result.reports) == ["r2", "r1"]


def test_a_combined_report_brings_its_children_right_after_it() -> None:
    result = export(["d"], [dashboard_of("d", "r1", "c1", "r2")])
    assert ids(result.reports) == ["r1", "c1", "r3", "r4", "r2"]


def test_a_child_mentioned_earlier_is_not_repeated_after_its_combined_report() -> None:
    result = export(["d"], [dashboard_of("d", "r4", "c1")])
    assert ids(result.reports) == ["r4", "c1", "r3"]


def test_text_and_external_tiles_bring_no_reports() -> None:
    board = dashboard("d", [text_tile(), *dashboard_of("x", "r1").tiles])
    assert ids(export(["d"], [board]).reports) == ["r1"]


def test_an_unknown_dashboard_id_is_not_found_naming_only_the_missing_ones() -> None:
    with pytest.raises(NotFound) as caught:
        export(["x", "a", "y", "x"], [dashboard_of("a", "r1")])
    assert caught.value.ids == ("x", "y")
    assert caught.value.detail == "Could not find dashboards with IDs [x, y]"


def test_an_empty_request_exports_nothing() -> None:
    result = export([], [dashboard_of("a", "r1")])
    assert len(result) == 0


def test_a_tile_whose_report_is_gone_is_a_server_side_error() -> None:
    with pytest.raises(DanglingReference) as caught:
        export(["d"], [dashboard_of("d", "r1", "gone")])
    assert caught.value.detail == DASHBOARD_REPORTS_MISSING
    assert caught.value.missing_ids == ("gone",)


def test_report_export_names_only_the_missing_ids() -> None:
    with pytest.raises(NotFound) as caught:
        plan_report_export(["r1", "nope"], finder(REPORTS))
    assert caught.value.detail == "Could not find reports with IDs [nope]"


def test_report_export_puts_children_after_their_combined_report() -> None:
    result = plan_report_export(["r1", "c1", "r3"], finder(REPORTS))
    assert ids(result.reports) == ["r1", "c1", "r3", "r4"]
    assert result.dashboards == ()


def test_loading_takes_one_lookup_per_level_of_nesting() -> None:
    calls: list[frozenset[str]] = []
    find = finder(REPORTS)

    def counting(wanted: frozenset[str]) -> Mapping[str, Report]:
        calls.append(wanted)
        return find(wanted)

    plan_dashboard_export(
        ["a", "b"],
        finder([dashboard_of("a", "r1", "c1"), dashboard_of("b", "r2")]),
        counting,
    )
    assert calls == [frozenset({"r1", "c1", "r2"}), frozenset({"r3", "r4"})]
