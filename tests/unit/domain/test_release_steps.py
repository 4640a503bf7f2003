"""Each step of MIGRATIONS.md, up and down, on the before and after JSON of §3 and §6."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from domain.entity_type import EntityType
from domain.export_format.chain import (
    STEPS,
    UnsupportedVersion,
    convert,
    migrate_down,
    migrate_up,
)
from domain.export_format.releases import (
    LATEST,
    RELEASES,
    UnknownRelease,
    format_label,
    release_named,
)
from domain.export_format.shape import StepInputInvalid
from tests.builders.wire import bare_dashboard_entity, bare_report_entity

PROCESS = EntityType.SINGLE_PROCESS_REPORT
DECISION = EntityType.SINGLE_DECISION_REPORT
COMBINED = EntityType.COMBINED_REPORT
DASHBOARD = EntityType.DASHBOARD


def step(entity_type: EntityType, version: int) -> Any:
    (found,) = [s for s in STEPS[entity_type] if s.version == version]
    return found


def up(entity_type: EntityType, version: int, entity: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(entity)
    step(entity_type, version).up(changed)
    return changed


def down(
    entity_type: EntityType, version: int, entity: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    changed = copy.deepcopy(entity)
    losses = step(entity_type, version).down(changed)
    return changed, [str(loss) for loss in losses]


# --- the release table ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "numbers"),
    [
        ("3.3", (5, 5, 4, 4)),
        ("3.4", (6, 6, 4, 4)),
        ("3.5", (7, 7, 4, 4)),
        ("3.6", (8, 8, 4, 4)),
        ("3.7", (8, 8, 4, 5)),
        ("3.8", (9, 9, 4, 5)),
        ("3.9", (9, 9, 4, 6)),
        ("3.10", (10, 9, 4, 7)),
        ("3.11", (11, 10, 5, 8)),
        ("3.14", (11, 10, 5, 8)),
        ("8.3", (11, 10, 5, 8)),
        ("8.10", (11, 10, 5, 8)),
        ("latest", (11, 10, 5, 8)),
    ],
)
def test_each_release_name_means_the_numbers_of_migrations_section_6(
    name: str, numbers: tuple[int, int, int, int]
) -> None:
    assert release_named(name).numbers == numbers


def test_the_release_table_holds_exactly_the_names_the_contract_lists() -> None:
    expected = [f"3.{m}" for m in range(3, 15)] + [f"8.{m}" for m in range(3, 11)] + ["latest"]
    assert list(RELEASES) == expected


def test_an_unknown_release_is_a_bad_request_naming_the_known_ones() -> None:
    with pytest.raises(UnknownRelease) as caught:
        release_named("3.2")
    assert '"3.2"' in caught.value.detail
    assert "3.3, 3.4" in caught.value.detail
    assert "8.10, latest" in caught.value.detail


def test_a_format_is_labelled_with_every_release_that_writes_it() -> None:
    assert format_label(PROCESS, 8) == "3.6 to 3.7"
    assert format_label(DASHBOARD, 6) == "3.9"
    assert format_label(PROCESS, 11) == "3.11 to 8.10"
    assert format_label(COMBINED, 4) == "3.3 to 3.10"


def test_every_index_has_one_step_per_version_from_3_3_to_current() -> None:
    for entity_type, steps in STEPS.items():
        oldest = RELEASES["3.3"].version_of(entity_type)
        assert [s.version for s in steps] == list(
            range(oldest + 1, LATEST.version_of(entity_type) + 1)
        )


# --- process and decision 5 <-> 6 (3.4) ---------------------------------------------------------


def test_3_4_turns_single_values_into_lists_and_the_execution_state_into_a_filter() -> None:
    before = bare_report_entity(
        {
            "view": {"entity": "flowNode", "property": "duration"},
            "filter": [],
            "configuration": {
                "flowNodeExecutionState": "completed",
                "aggregationType": "avg",
                "userTaskDurationTime": None,
                "columnOrder": {"instanceProps": ["a"], "variables": ["v"]},
                "tableColumns": {"includeNewVariables": True},
            },
        }
    )
    after = up(PROCESS, 6, before)
    assert after["data"] == {
        "view": {"entity": "flowNode", "properties": ["duration"]},
        "filter": [
            {"type": "completedOrCanceledFlowNodesOnly", "filterLevel": "view", "data": None}
        ],
        "configuration": {
            "aggregationTypes": ["avg"],
            "userTaskDurationTimes": [],
            "tableColumns": {"includeNewVariables": True, "columnOrder": ["a", "v"]},
        },
    }
    assert up(PROCESS, 6, after) == after
    back, losses = down(PROCESS, 6, after)
    assert losses == []
    assert back["data"]["configuration"]["flowNodeExecutionState"] == "completed"
    assert back["data"]["configuration"]["aggregationType"] == "avg"
    assert back["data"]["view"] == {"entity": "flowNode", "property": "duration"}
    assert back["data"]["filter"] == []


def test_3_4_decision_column_order_joins_inputs_and_outputs() -> None:
    before = bare_report_entity(
        {
            "configuration": {
                "columnOrder": {
                    "instanceProps": ["i"],
                    "inputVariables": ["in"],
                    "outputVariables": ["out"],
                }
            }
        },
        exportEntityType="single_decision_report",
    )
    after = up(DECISION, 6, before)
    assert after["data"]["configuration"] == {"tableColumns": {"columnOrder": ["i", "in", "out"]}}


def test_below_3_4_two_aggregations_are_a_loss() -> None:
    entity = bare_report_entity(
        {"configuration": {"aggregationTypes": ["avg", "max"]}, "view": None}
    )
    back, losses = down(PROCESS, 6, entity)
    assert back["data"]["configuration"] == {"aggregationType": "avg"}
    assert losses == ["data.configuration.aggregationTypes: 2 values; the format holds one"]


# --- process and decision 6 <-> 7 (3.5) ---------------------------------------------------------


def test_3_5_moves_the_definition_into_definitions_and_applies_filters_to_it() -> None:
    before = bare_report_entity(
        {
            "processDefinitionKey": "invoice",
            "processDefinitionName": "Invoice",
            "processDefinitionVersions": ["1"],
            "tenantIds": None,
            "filter": [{"type": "runningInstancesOnly", "filterLevel": "INSTANCE", "data": None}],
            "configuration": {"hiddenNodes": {"active": True, "keys": ["task"]}},
        }
    )
    after = up(PROCESS, 7, before)
    data = after["data"]
    (definition,) = data["definitions"]
    assert list(definition) == ["identifier", "key", "name", "displayName", "versions", "tenantIds"]
    assert definition["key"] == "invoice"
    assert definition["name"] == "Invoice"
    assert definition["versions"] == ["1"]
    assert definition["tenantIds"] == [None]
    assert definition["displayName"] is None
    ident = definition["identifier"]
    assert data["filter"] == [
        {
            "type": "runningInstancesOnly",
            "filterLevel": "instance",
            "data": None,
            "appliedTo": [ident],
        },
        {
            "type": "executedFlowNodes",
            "data": {"operator": "not in", "values": ["task"]},
            "filterLevel": "view",
            "appliedTo": [ident],
        },
    ]
    assert "processDefinitionKey" not in data
    assert "tenantIds" not in data
    assert data["configuration"] == {}
    assert up(PROCESS, 7, after) == after


def test_3_5_without_a_key_applies_filters_to_all() -> None:
    before = bare_report_entity(
        {"processDefinitionKey": "", "filter": [{"type": "x", "data": None}]}
    )
    after = up(PROCESS, 7, before)
    assert after["data"] == {
        "definitions": [],
        "filter": [{"type": "x", "data": None, "appliedTo": ["all"]}],
    }


def test_3_5_inactive_hidden_nodes_make_no_filter() -> None:
    before = bare_report_entity(
        {"configuration": {"hiddenNodes": {"active": False, "keys": ["a"]}}}
    )
    assert up(PROCESS, 7, before)["data"] == {"definitions": [], "configuration": {}}


def test_below_3_5_two_definitions_and_a_display_name_are_losses() -> None:
    entity = bare_report_entity(
        {
            "definitions": [
                {
                    "identifier": "a",
                    "key": "k1",
                    "name": "K",
                    "displayName": "Shown",
                    "versions": ["1"],
                    "tenantIds": [None],
                },
                {
                    "identifier": "b",
                    "key": "k2",
                    "name": None,
                    "displayName": None,
                    "versions": ["all"],
                    "tenantIds": [None],
                },
            ],
            "filter": [{"type": "x", "appliedTo": ["b"]}],
        }
    )
    back, losses = down(PROCESS, 7, entity)
    assert back["data"]["processDefinitionKey"] == "k1"
    assert back["data"]["processDefinitionVersions"] == ["1"]
    assert back["data"]["filter"] == [{"type": "x"}]
    assert losses == [
        "data.definitions: 2 definitions; the format holds one",
        'data.definitions[0].displayName: "Shown" has no place in the format',
    ]


def test_below_3_5_a_filter_on_another_definition_is_a_loss() -> None:
    entity = bare_report_entity(
        {
            "definitions": [
                {
                    "identifier": "a",
                    "key": "k",
                    "name": None,
                    "displayName": None,
                    "versions": [],
                    "tenantIds": [None],
                }
            ],
            "filter": [{"type": "x", "appliedTo": ["zzz"]}],
        }
    )
    _, losses = down(PROCESS, 7, entity)
    assert losses == ["data.filter[0].appliedTo: applies to only some definitions"]


# --- 7 <-> 8 (3.6) and 8 <-> 9 (3.7 fix-ups, 3.8) ------------------------------------------------


def test_3_6_adds_the_visualization_defaults_and_going_below_drops_them() -> None:
    after = up(PROCESS, 8, bare_report_entity({"configuration": {}}))
    assert after["data"]["configuration"] == {
        "measureVisualizations": {"frequency": "bar", "duration": "line"},
        "stackedBar": False,
    }
    assert down(PROCESS, 8, after) == (bare_report_entity({"configuration": {}}), [])
    stacked = bare_report_entity({"configuration": {"stackedBar": True, "logScale": True}})
    assert down(PROCESS, 8, stacked)[1] == [
        "data.configuration.stackedBar: is true",
        "data.configuration.logScale: is true",
    ]


def test_3_8_turns_aggregation_names_into_objects_with_the_median_as_percentile_50() -> None:
    before = bare_report_entity(
        {
            "filter": [{"type": "startDate"}, {"type": "endDate"}, {"type": "other"}],
            "configuration": {"aggregationTypes": ["avg", "median", "max"]},
        }
    )
    after = up(PROCESS, 9, before)
    assert after["data"] == {
        "filter": [{"type": "instanceStartDate"}, {"type": "instanceEndDate"}, {"type": "other"}],
        "configuration": {
            "aggregationTypes": [
                {"type": "avg", "value": None},
                {"type": "percentile", "value": 50.0},
                {"type": "max", "value": None},
            ],
            "logScale": False,
        },
    }
    assert up(PROCESS, 9, after) == after
    back, losses = down(PROCESS, 9, after)
    assert losses == []
    assert back["data"]["configuration"]["aggregationTypes"] == ["avg", "median", "max"]


def test_below_3_8_a_percentile_other_than_the_median_is_a_loss() -> None:
    entity = bare_report_entity(
        {
            "configuration": {
                "aggregationTypes": [{"type": "percentile", "value": 90.0}],
                "horizontalBar": True,
            }
        }
    )
    back, losses = down(PROCESS, 9, entity)
    assert back["data"]["configuration"] == {"aggregationTypes": []}
    assert losses == [
        "data.configuration.aggregationTypes[0]: the percentile 90.0 (only the median)",
        "data.configuration.horizontalBar: is true",
    ]


@pytest.mark.parametrize("aggregations", [7, "avg", [3], {"type": "avg"}])
def test_aggregation_types_of_a_shape_no_release_wrote_are_refused_naming_the_field(
    aggregations: Any,
) -> None:
    entity = bare_report_entity({"configuration": {"aggregationTypes": aggregations}})
    with pytest.raises(StepInputInvalid) as caught:
        up(PROCESS, 9, entity)
    assert caught.value.field.startswith("data.configuration.aggregationTypes")


# --- 9 <-> 10 (3.9 fix-ups, 3.10), 10 <-> 11 (3.11) -----------------------------------------------


def test_3_9_and_3_10_add_the_kpi_flags_and_the_report_flags() -> None:
    before = bare_report_entity(
        {
            "configuration": {
                "targetValue": {
                    "isKpi": None,
                    "durationProgress": {"target": {"unit": "hours"}},
                    "countProgress": {"target": "100"},
                }
            }
        }
    )
    after = up(PROCESS, 10, before)
    assert after["data"] == {
        "configuration": {
            "targetValue": {
                "isKpi": False,
                "durationProgress": {"target": {"unit": "hours", "isBelow": False}},
                "countProgress": {"target": "100", "isBelow": False},
            },
            "horizontalBar": False,
        },
        "managementReport": False,
        "instantPreviewReport": False,
    }
    assert down(PROCESS, 10, after)[0]["data"] == {
        k: v for k, v in after["data"].items() if k != "instantPreviewReport"
    }


def test_3_11_adds_a_description_after_the_name_and_renames_count_columns() -> None:
    before = bare_report_entity(
        {
            "configuration": {
                "tableColumns": {
                    "includedColumns": ["numberOfUserTasks", "x"],
                    "excludedColumns": ["numberOfIncidents"],
                    "columnOrder": ["numberOfOpenIncidents"],
                }
            }
        }
    )
    after = up(PROCESS, 11, before)
    assert list(after)[:4] == ["id", "exportEntityType", "name", "description"]
    assert after["description"] is None
    assert after["data"]["configuration"]["tableColumns"] == {
        "includedColumns": ["count:userTasks", "x"],
        "excludedColumns": ["count:incidents"],
        "columnOrder": ["count:openIncidents"],
    }
    back, losses = down(PROCESS, 11, after)
    assert back == before
    assert losses == []


def test_below_3_11_a_description_is_a_loss_for_every_index() -> None:
    for entity_type, version in ((PROCESS, 11), (DECISION, 10), (COMBINED, 5), (DASHBOARD, 8)):
        _, losses = down(
            entity_type, version, bare_report_entity({}, description="Why this exists")
        )
        assert losses == ['description: "Why this exists" (descriptions exist from 3.11 on)']
        assert down(entity_type, version, bare_report_entity({}, description=None))[1] == []


# --- dashboards --------------------------------------------------------------------------------


def test_dashboard_4_fixups_and_3_7_give_date_filters_their_new_names_and_default_values() -> None:
    before = bare_dashboard_entity(
        availableFilters=[
            {"type": "state", "data": None},
            {"type": "startDate", "data": None},
            {"type": "variable", "data": {"type": "String", "name": "v", "data": {}}},
            {
                "type": "assignee",
                "data": {"operator": "in", "values": [], "allowCustomValues": False},
            },
        ]
    )
    after = up(DASHBOARD, 5, before)
    assert after["availableFilters"] == [
        {"type": "state", "data": {"defaultValues": None}},
        {"type": "instanceStartDate", "data": {"defaultValues": None}},
        {
            "type": "variable",
            "data": {"type": "String", "name": "v", "data": {}, "defaultValues": None},
        },
        {
            "type": "assignee",
            "data": {
                "operator": "in",
                "values": [],
                "allowCustomValues": False,
                "defaultValues": None,
            },
        },
    ]
    assert up(DASHBOARD, 5, after) == after
    back, losses = down(DASHBOARD, 5, after)
    assert [f["type"] for f in back["availableFilters"]] == [
        "state",
        "startDate",
        "variable",
        "assignee",
    ]
    assert losses == []


def test_3_9_restamps_a_dashboard_without_changing_it() -> None:
    assert up(DASHBOARD, 6, bare_dashboard_entity(reports=[])) == bare_dashboard_entity(reports=[])


def test_3_10_turns_reports_into_typed_tiles_as_section_3_3_shows() -> None:
    before = bare_dashboard_entity(
        reports=[
            {
                "id": "r1",
                "position": {"x": 0, "y": 0},
                "dimensions": {"width": 3, "height": 2},
                "configuration": None,
            },
            {
                "id": "",
                "configuration": {"external": "http://x"},
                "position": {"x": 3, "y": 0},
                "dimensions": {"width": 1, "height": 1},
            },
        ],
        availableFilters=[],
    )
    after = up(DASHBOARD, 7, before)
    assert after["tiles"] == [
        {
            "id": "r1",
            "position": {"x": 0, "y": 0},
            "dimensions": {"width": 3, "height": 2},
            "type": "optimize_report",
            "configuration": None,
        },
        {
            "id": "",
            "position": {"x": 3, "y": 0},
            "dimensions": {"width": 1, "height": 1},
            "type": "external_url",
            "configuration": {"external": "http://x"},
        },
    ]
    assert list(after["tiles"][1]) == ["id", "position", "dimensions", "type", "configuration"]
    assert "reports" not in after
    assert after["instantPreviewDashboard"] is False
    assert up(DASHBOARD, 7, after) == after
    back, losses = down(DASHBOARD, 7, after)
    assert losses == []
    assert back == before


def test_a_legacy_tile_whose_id_is_a_url_becomes_an_external_tile() -> None:
    tile = {
        "id": "https://x",
        "position": {"x": 0, "y": 0},
        "dimensions": {"width": 1, "height": 1},
    }
    (typed,) = up(DASHBOARD, 7, bare_dashboard_entity(reports=[tile]))["tiles"]
    assert typed["type"] == "external_url"
    assert typed["id"] == ""
    assert typed["configuration"] == {"external": "https://x"}


def test_below_3_10_a_text_tile_and_an_instant_preview_are_losses() -> None:
    entity = bare_dashboard_entity(
        tiles=[
            {
                "id": "",
                "position": None,
                "dimensions": None,
                "type": "text",
                "configuration": {"text": {}},
            }
        ],
        instantPreviewDashboard=True,
    )
    back, losses = down(DASHBOARD, 7, entity)
    assert back["reports"] == []
    assert losses == [
        "instantPreviewDashboard: is true",
        "tiles[0]: a text tile (text tiles exist from 3.10 on)",
    ]


# --- the chain ---------------------------------------------------------------------------------


def test_up_runs_every_step_above_the_number_and_restamps() -> None:
    before = bare_report_entity(
        {"configuration": {"aggregationTypes": ["median"]}, "definitions": []}
    )
    before["sourceIndexVersion"] = 8
    after: dict[str, Any] = migrate_up(PROCESS, before, 8)
    assert after["sourceIndexVersion"] == 11
    assert after["description"] is None
    assert after["data"]["configuration"]["aggregationTypes"] == [
        {"type": "percentile", "value": 50.0}
    ]
    assert after["data"]["instantPreviewReport"] is False
    assert before["data"]["configuration"]["aggregationTypes"] == ["median"]  # not changed


def test_a_current_entity_goes_up_untouched_and_uncopied() -> None:
    current = bare_report_entity({"definitions": []}, sourceIndexVersion=11)
    assert migrate_up(PROCESS, current, 11) is current


def test_down_to_3_7_writes_the_seed_pages_key_order() -> None:
    current = migrate_up(
        DASHBOARD, bare_dashboard_entity(reports=[], availableFilters=[], collectionId=None), 4
    )
    written, losses = migrate_down(DASHBOARD, current, release_named("3.7"))
    assert losses == []
    assert list(written) == [
        "id",
        "exportEntityType",
        "name",
        "sourceIndexVersion",
        "reports",
        "availableFilters",
        "collectionId",
    ]
    assert written["sourceIndexVersion"] == 5


@pytest.mark.parametrize("version", [4, 12, None, "8", True])
def test_numbers_outside_3_3_to_current_are_not_converted(version: Any) -> None:
    with pytest.raises(UnsupportedVersion) as caught:
        convert(PROCESS, bare_report_entity({}, sourceIndexVersion=version), LATEST)
    assert "sourceIndexVersion" in str(caught.value)


def test_the_same_number_fixups_keep_the_values_a_file_already_has() -> None:
    at_3_7 = bare_report_entity(
        {
            "definitions": [],
            "configuration": {
                "stackedBar": True,
                "logScale": True,
                "measureVisualizations": {"frequency": "line", "duration": "bar"},
            },
        },
        sourceIndexVersion=8,
    )
    migrated: Any = migrate_up(PROCESS, at_3_7, 8)
    configuration = migrated["data"]["configuration"]
    assert configuration["stackedBar"] is True
    assert configuration["logScale"] is True
    assert configuration["measureVisualizations"] == {"frequency": "line", "duration": "bar"}
    at_3_9 = bare_report_entity(
        {
            "definitions": [],
            "configuration": {"horizontalBar": True, "targetValue": {"isKpi": True}},
        },
        sourceIndexVersion=9,
    )
    migrated = migrate_up(PROCESS, at_3_9, 9)
    configuration = migrated["data"]["configuration"]
    assert configuration["horizontalBar"] is True
    assert configuration["targetValue"]["isKpi"] is True


def test_below_3_10_an_external_tile_has_an_empty_id_and_its_url_in_the_configuration() -> None:
    tile = {
        "id": "https://x",
        "position": {"x": 0, "y": 0},
        "dimensions": {"width": 1, "height": 1},
        "type": "external_url",
        "configuration": {"external": "https://x"},
    }
    back, losses = down(DASHBOARD, 7, bare_dashboard_entity(tiles=[tile]))
    assert back["reports"] == [
        {
            "id": "",
            "position": {"x": 0, "y": 0},
            "dimensions": {"width": 1, "height": 1},
            "configuration": {"external": "https://x"},
        }
    ]
    assert losses == []
