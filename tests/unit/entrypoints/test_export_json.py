from __future__ import annotations

import json

import msgspec
import pytest

from domain.export_format import writer
from domain.export_format.writer import write_export
from entrypoints.demo.loader import demo_seed
from entrypoints.http.schemas import DashboardExport, ExportEntity
from tests.builders.domain import dashboard, external_tile, process_report, report_tile, text_tile
from tests.exporting import export_file


def test_the_written_json_matches_the_documented_schema() -> None:
    seed = demo_seed()
    payload = export_file(seed.reports, seed.dashboards)
    decoded = msgspec.json.decode(payload, type=list[ExportEntity])
    assert len(decoded) == len(seed.reports) + len(seed.dashboards)
    assert sum(isinstance(e, DashboardExport) for e in decoded) == len(seed.dashboards)


def test_report_data_goes_out_as_it_was_stored() -> None:
    report = process_report("r1", futureField={"nested": [1, 2.5, None, "é"]})
    (written,) = json.loads(export_file([report]))
    assert written["data"] == report.data.value
    assert written["sourceIndexVersion"] == 11


def test_dashboards_are_written_in_the_current_tile_layout() -> None:
    board = dashboard("d", [text_tile("Hi"), report_tile("r1", x=3, y=4), external_tile()])
    (written,) = json.loads(export_file(dashboards=[board]))
    assert list(written) == [
        "id",
        "exportEntityType",
        "name",
        "description",
        "sourceIndexVersion",
        "tiles",
        "availableFilters",
        "collectionId",
        "instantPreviewDashboard",
    ]
    assert written["sourceIndexVersion"] == 8
    assert [t["type"] for t in written["tiles"]] == ["text", "optimize_report", "external_url"]
    assert [t["id"] for t in written["tiles"]] == ["", "r1", ""]
    assert written["tiles"][1]["position"] == {"x": 3, "y": 4}
    assert written["instantPreviewDashboard"] is False


def test_the_streamed_blocks_join_to_the_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    seed = demo_seed()
    whole = export_file(seed.reports, seed.dashboards)
    monkeypatch.setattr(writer, "BLOCK_BYTES", 64)
    blocks = list(write_export([*seed.reports, *seed.dashboards]).blocks)
    assert len(blocks) > 1
    assert b"".join(blocks) == whole
    assert export_file() == b"[]"
