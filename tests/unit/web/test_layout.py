from __future__ import annotations

from application.use_cases.show_dashboard import DashboardView
from domain.json_document import JsonValue
from domain.report_summary import ReportSummary
from entrypoints.web.layout import CELL, GAP, dashboard_layout, filter_labels
from tests.builders.domain import dashboard, external_tile, process_report, report_tile, text_tile


def test_tiles_are_placed_on_the_grid_and_labelled_with_what_they_show() -> None:
    report = process_report("r1", name="Throughput", visualization="bar")
    view = DashboardView(
        dashboard("d", [report_tile("r1", x=6, y=2), text_tile("Read me", y=0), external_tile()]),
        {"r1": ReportSummary.of(report)},
    )
    layout = dashboard_layout(view)
    box, text, external = layout.tiles
    assert (box.kind, box.x, box.y, box.width, box.height) == (
        "report",
        6 * CELL + GAP // 2,
        2 * CELL + GAP // 2,
        4 * CELL - GAP,
        2 * CELL - GAP,
    )
    assert box.lines == ("Throughput", "bar")
    assert text.kind == "text"
    assert text.lines == ("Read me",)
    assert external.lines[0] == "External page"
    assert "".join(external.lines[1:]) == "https://example.com/"
    assert layout.width == 18 * CELL
    assert layout.height == 4 * CELL


def test_a_label_too_long_for_its_tile_wraps_and_ends_in_an_ellipsis() -> None:
    name = " ".join(["word"] * 200)
    view = DashboardView(
        dashboard("d", [report_tile("r1")]),
        {"r1": ReportSummary.of(process_report("r1", name=name))},
    )
    (box,) = dashboard_layout(view).tiles
    assert box.lines[-1] == "…"
    assert all(len(line) * 7.8 <= box.width - 20 for line in box.lines)
    assert len(box.lines) * 17 <= box.height


def test_filters_are_named_by_type_and_variable() -> None:
    filters: JsonValue = [{"type": "state"}, {"type": "variable", "data": {"name": "amount"}}, 3]
    assert filter_labels(filters) == ["state", "variable: amount"]
    assert filter_labels(None) == []
