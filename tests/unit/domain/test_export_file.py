from __future__ import annotations

import pytest

from domain.dashboard import Dashboard, TileType
from domain.entity_type import EntityType
from domain.errors import ImportFileInvalid
from domain.export_format.reader import read_export_file
from domain.json_document import JsonValue
from domain.report import Report
from tests.builders.wire import dashboard_entity, process_report_entity


def problem_of(document: JsonValue) -> str:
    with pytest.raises(ImportFileInvalid) as caught:
        read_export_file(document)
    return caught.value.detail


def test_a_report_and_a_dashboard_are_read_in_file_order() -> None:
    entries = read_export_file([process_report_entity("r1"), dashboard_entity("d1", ["r1"])])
    report, board = (e.entity for e in entries)
    assert isinstance(report, Report)
    assert report.entity_type is EntityType.SINGLE_PROCESS_REPORT
    assert isinstance(board, Dashboard)
    assert board.report_ids() == ("r1",)
    assert [e.source_index_version for e in entries] == [11, 8]


def test_a_single_object_counts_as_a_one_element_array() -> None:
    assert len(read_export_file(process_report_entity("r1"))) == 1


def test_entity_types_are_read_case_insensitively() -> None:
    (entry,) = read_export_file(
        [process_report_entity("r1") | {"exportEntityType": "COMBINED_REPORT"}]
    )
    assert entry.entity_type is EntityType.COMBINED_REPORT


def test_report_data_is_kept_whole_including_fields_boardport_does_not_know() -> None:
    data: dict[str, JsonValue] = {"configuration": {"xml": "<x/>"}, "futureField": {"a": [1, 2.5]}}
    (entry,) = read_export_file([process_report_entity("r1") | {"data": data}])
    assert isinstance(entry.entity, Report)
    assert entry.entity.data.value == data


@pytest.mark.parametrize(
    ("entity", "expected"),
    [
        (process_report_entity("r1") | {"id": None}, "entity #1, field 'id' is missing"),
        (process_report_entity("r1") | {"id": ""}, "entity #1, field 'id' is empty"),
        (
            process_report_entity("r1") | {"id": 7},
            "entity #1, field 'id' must be a non-empty string, not a number",
        ),
        (process_report_entity("r1") | {"name": None}, "report \"r1\", field 'name' is missing"),
        (process_report_entity("r1") | {"data": None}, "report \"r1\", field 'data' is missing"),
        (
            process_report_entity("r1") | {"data": [1]},
            "report \"r1\", field 'data' must be an object, not an array",
        ),
        (
            process_report_entity("r1") | {"exportEntityType": "combined_process_report"},
            "field 'exportEntityType'",
        ),
        (
            process_report_entity("r1") | {"sourceIndexVersion": "11"},
            "field 'sourceIndexVersion' must be an integer",
        ),
        (
            dashboard_entity("d1", ["r1"]) | {"tiles": None},
            "dashboard \"d1\", field 'tiles' is missing",
        ),
        (
            dashboard_entity("d1", ["r1"]) | {"tiles": [{"id": "r1", "type": "optimize_report"}]},
            "dashboard \"d1\", field 'tiles[0].position' is missing",
        ),
        (
            dashboard_entity("d1", ["r1"])
            | {
                "tiles": [
                    {
                        "id": "",
                        "type": "optimize_report",
                        "position": {"x": 0, "y": 0},
                        "dimensions": {"width": 1, "height": 1},
                    }
                ]
            },
            "field 'tiles[0].id' must name a report",
        ),
        (
            dashboard_entity("d1", ["r1"])
            | {
                "tiles": [
                    {
                        "id": "r1",
                        "type": "chart",
                        "position": {"x": 0, "y": 0},
                        "dimensions": {"width": 1, "height": 1},
                    }
                ]
            },
            "field 'tiles[0].type' must be one of optimize_report, external_url, text",
        ),
        (
            dashboard_entity("d1", ["r1"]) | {"availableFilters": {}},
            "field 'availableFilters' must be an array",
        ),
        ("not a list", "must be a JSON array of exported entities"),
        ([42], "entity #1 must be an object, not a number"),
    ],
)
def test_a_malformed_entity_is_refused_naming_the_entity_and_the_field(
    entity: JsonValue, expected: str
) -> None:
    document: JsonValue = entity if isinstance(entity, str | list) else [entity]
    assert expected in problem_of(document)


def test_every_malformed_entity_is_listed_not_only_the_first() -> None:
    detail = problem_of(
        [process_report_entity("a") | {"name": None}, process_report_entity("b") | {"data": None}]
    )
    assert "report \"a\", field 'name'" in detail
    assert "report \"b\", field 'data'" in detail


def test_a_combined_report_names_its_children_from_its_data() -> None:
    data: dict[str, JsonValue] = {"reports": [{"id": "r2", "color": "#000"}, {"id": "r1"}]}
    (entry,) = read_export_file(
        [process_report_entity("c") | {"exportEntityType": "combined_report", "data": data}]
    )
    assert isinstance(entry.entity, Report)
    assert entry.entity.child_ids == ("r2", "r1")


def test_a_combined_report_child_without_an_id_is_refused() -> None:
    data: dict[str, JsonValue] = {"reports": [{"color": "#000"}]}
    detail = problem_of(
        [process_report_entity("c") | {"exportEntityType": "combined_report", "data": data}]
    )
    assert "field 'data.reports[0].id' must name a report" in detail


def test_the_legacy_reports_layout_is_read_as_tiles() -> None:
    legacy = dashboard_entity("d1", ["r1"]) | {
        "tiles": None,
        "reports": [
            {"id": "r1", "position": {"x": 0, "y": 0}, "dimensions": {"width": 4, "height": 2}},
            {
                "id": "https://example.com/board",
                "position": {"x": 4, "y": 0},
                "dimensions": {"width": 4, "height": 2},
                "configuration": None,
            },
        ],
    }
    del legacy["tiles"]
    (entry,) = read_export_file([legacy])
    assert isinstance(entry.entity, Dashboard)
    report, external = entry.entity.tiles
    assert (report.type, report.report_id) == (TileType.OPTIMIZE_REPORT, "r1")
    assert external.type is TileType.EXTERNAL_URL
    assert external.report_id is None
    assert external.configuration is not None
    assert external.configuration.value == {"external": "https://example.com/board"}


def test_whole_number_floats_are_accepted_as_tile_coordinates() -> None:
    tile: dict[str, JsonValue] = {
        "id": "r1",
        "type": "optimize_report",
        "position": {"x": 2.0, "y": 0},
        "dimensions": {"width": 4, "height": 2},
    }
    (entry,) = read_export_file([dashboard_entity("d1", ["r1"]) | {"tiles": [tile]}])
    assert isinstance(entry.entity, Dashboard)
    assert entry.entity.tiles[0].x == 2


def test_a_fractional_tile_coordinate_is_refused() -> None:
    tile: dict[str, JsonValue] = {
        "id": "r1",
        "type": "optimize_report",
        "position": {"x": 2.5, "y": 0},
        "dimensions": {"width": 4, "height": 2},
    }
    assert "tiles[0].position.x' must be a whole number" in problem_of(
        [dashboard_entity("d1", ["r1"]) | {"tiles": [tile]}]
    )


def test_an_empty_tenant_in_a_reports_definitions_is_refused() -> None:
    data: dict[str, JsonValue] = {"definitions": [{"key": "invoice", "tenantIds": [""]}]}
    assert "data.definitions[0]' names an empty key, version or tenant" in problem_of(
        [process_report_entity("r1") | {"data": data}]
    )
