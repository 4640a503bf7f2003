"""The client's release conversion is the export format's own: a target that answers like
Optimize 3.7 names 3.7 in its mismatch, and receives the 3.7 format."""

from __future__ import annotations

import json

import pytest

from adapters.release_converter import ExportFormatReleaseConverter
from application.ports.release_converter import ConversionUnavailable
from domain.json_document import JsonValue
from tests.builders.wire import dashboard_entity, process_report_entity, text_tile_json

OPTIMIZE_3_7_MISMATCH: list[JsonValue] = [
    {
        "indexName": "optimize-single-process-report_v11",
        "sourceIndexVersion": 11,
        "targetIndexVersion": 8,
    },
    {"indexName": "optimize-dashboard_v8", "sourceIndexVersion": 8, "targetIndexVersion": 5},
]


def test_a_mismatch_names_the_release_whose_numbers_the_target_keeps() -> None:
    converter = ExportFormatReleaseConverter()
    assert converter.release_of(OPTIMIZE_3_7_MISMATCH) == "3.7"
    assert converter.release_of(OPTIMIZE_3_7_MISMATCH[1:]) == "3.8"  # 3.7 and 3.8 share dashboard 5
    assert (
        converter.release_of([{"indexName": "optimize-dashboard_v8", "targetIndexVersion": 99}])
        is None
    )
    assert converter.release_of(["junk", {"indexName": 3}]) is None


def test_the_file_is_written_in_that_releases_format() -> None:
    converter = ExportFormatReleaseConverter()
    entities: list[JsonValue] = [
        process_report_entity("r1"),
        dashboard_entity("d1", ["r1"], extra_tiles=[text_tile_json()]),
    ]
    conversion = converter.convert(entities, "3.7")
    report, dashboard = conversion.entities
    assert isinstance(report, dict)
    assert isinstance(dashboard, dict)
    assert (report["sourceIndexVersion"], dashboard["sourceIndexVersion"]) == (8, 5)
    assert "reports" in dashboard
    assert "tiles" not in dashboard
    # The builder's dashboard has a text tile, which 3.7 cannot hold: a loss, named.
    assert conversion.losses == (
        'dashboard "d1": tiles[1]: a text tile (text tiles exist from 3.10 on)',
    )
    assert json.loads(json.dumps(entities[0]))["sourceIndexVersion"] == 11  # the input is kept


def test_what_the_format_cannot_hold_is_named_as_a_loss() -> None:
    described = process_report_entity("r1") | {"description": "Kept only from 3.11 on"}
    conversion = ExportFormatReleaseConverter().convert([described], "3.7")
    assert len(conversion.losses) == 1
    assert 'report "r1"' in conversion.losses[0]
    assert "description" in conversion.losses[0]


def test_an_unknown_release_is_refused() -> None:
    with pytest.raises(ConversionUnavailable, match=r"3\.7"):
        ExportFormatReleaseConverter().convert([], "2.0")
