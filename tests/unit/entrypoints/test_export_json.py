from __future__ import annotations

import json

import msgspec

from domain.export import EntityExport
from domain.export_format.writer import in_blocks, iter_entities_json
from entrypoints.demo.loader import demo_seed
from entrypoints.http.schemas import DashboardExport, ExportEntity
from entrypoints.wire.export_json import encode, export_json
from tests.builders.domain import dashboard, external_tile, process_report, report_tile, text_tile


def test_the_written_json_matches_the_documented_schema() -> None:
    seed = demo_seed()
    payload = export_json(EntityExport(seed.reports, seed.dashboards))
    decoded = msgspec.json.decode(payload, type=list[ExportEntity])
    assert len(decoded) == len(seed.reports) + len(seed.dashboards)
    assert sum(isinstance(e, DashboardExport) for e in decoded) == len(seed.dashboards)


def test_report_data_goes_out_as_it_was_stored() -> None:
    report = process_report("r1", futureField={"nested": [1, 2.5, None, "é"]})
    (written,) = json.loads(export_json(EntityExport((report,))))
    assert written["data"] == report.data.value
    assert written["sourceIndexVersion"] == 11


def test_dashboards_are_written_in_the_current_tile_layout() -> None:
    board = dashboard("d", [text_tile("Hi"), report_tile("r1", x=3, y=4), external_tile()])
    (written,) = json.loads(export_json(EntityExport((), (board,))))
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


def test_the_streamed_pieces_join_to_the_whole() -> None:
    seed = demo_seed()
    export = EntityExport(seed.reports, seed.dashboards)
    blocks = list(in_blocks(iter_entities_json(export.entities(), encode), block_size=64))
    assert len(blocks) > 1
    assert b"".join(blocks) == export_json(export)
    assert export_json(EntityExport(())) == b"[]"
