"""POST /api/public/import over HTTP: the answer, the rewritten references, and every check of
the contract (section 4) with its exact errorCode, in the contract's order. Every failure is
followed by a look at the collection: nothing may have been written."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.builders.wire import (
    DECISION_KEY,
    Entity,
    combined_report_entity,
    dashboard_entity,
    decision_report_entity,
    external_tile_json,
    process_report_entity,
    text_tile_json,
)
from tests.e2e.importing import (
    DEMO_DECISION_DASHBOARD,
    DEMO_OVERVIEW_DASHBOARD,
    DEMO_TENANT,
    INVOICE_BPMN,
    INVOICE_DMN,
    Client,
    assert_collection_empty,
    by_id,
    error_body,
    export_dashboards,
    export_reports,
    id_map,
    ids_in,
    new_ids,
    post_import,
    ready_collection,
    register_definition,
)

MISSING_COLLECTION = "Must specify a collection ID for this request."
CUSTOM_BPMN = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
    '<bpmn:process id="invoice" name="Invoice Approval, second version" isExecutable="true"/>'
    "</bpmn:definitions>"
)


@pytest.fixture
def target(client: Client) -> str:
    """A collection with the invoice process and decision registered and in scope."""
    return ready_collection(client)


def sample_file() -> list[Entity]:
    """Two process reports, a combined report of both, a decision report and a dashboard with
    report, text and external tiles."""
    return [
        process_report_entity("r1"),
        process_report_entity("r2"),
        combined_report_entity("c1", ["r1", "r2"]),
        decision_report_entity("d1"),
        dashboard_entity(
            "dash",
            ["r1", "c1", "d1"],
            extra_tiles=[text_tile_json(y=12), external_tile_json(y=14)],
        ),
    ]


def without(entity: Entity, field: str) -> Entity:
    return {k: v for k, v in copy.deepcopy(entity).items() if k != field}


def variable_filter(name: Any = "customerName", variable_type: Any = "String") -> Entity:
    data: Entity = {"data": {"operator": "in", "values": ["a"]}, "defaultValues": None}
    if name is not None:
        data["name"] = name
    if variable_type is not None:
        data["type"] = variable_type
    return {"type": "variable", "data": data}


# --- a successful import ---------------------------------------------------------------------


def test_an_import_answers_one_item_per_entity_in_file_order_with_new_ids(
    client: Client, target: str
) -> None:
    file = sample_file()
    response = post_import(client, target, file)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert all(set(item) == {"id", "entityType", "sourceId"} for item in answer)
    assert [(i["sourceId"], i["entityType"]) for i in answer] == [
        ("r1", "report"),
        ("r2", "report"),
        ("c1", "report"),
        ("d1", "report"),
        ("dash", "dashboard"),
    ]
    created = [i["id"] for i in answer]
    assert all(isinstance(i, str) and i for i in created)
    assert len(set(created)) == len(created)
    assert not set(created) & {e["id"] for e in file}
    assert sorted(ids_in(client, "report", target)) == sorted(created[:4])
    assert ids_in(client, "dashboard", target) == [created[4]]


def test_the_api_imports_with_the_cyclic_collector_paused_and_resumes_it(
    client: Client, target: str, collector_at_reads: list[bool]
) -> None:
    response = post_import(client, target, sample_file())
    assert response.status_code == 200, response.text
    assert collector_at_reads == [False]


def test_tiles_and_combined_reports_refer_to_the_new_ids_after_an_import(
    client: Client, target: str
) -> None:
    file = sample_file()
    answer = post_import(client, target, file).json()
    ids = id_map(answer)
    exported = export_dashboards(client, [ids["dash"]])
    board = exported[-1]
    assert [t["id"] for t in board["tiles"]] == [ids["r1"], ids["c1"], ids["d1"], "", ""]
    assert board["tiles"][3:] == file[4]["tiles"][3:]  # text and external tiles as they came
    combined = next(e for e in exported if e["id"] == ids["c1"])
    assert combined["data"]["reports"] == [
        {"id": ids["r1"], "color": "#1991c8"},
        {"id": ids["r2"], "color": "#db3e00"},
    ]
    assert {e["collectionId"] for e in exported} == {target}


def test_an_import_followed_by_an_export_gives_back_the_file_modulo_ids(
    client: Client, target: str
) -> None:
    file = sample_file()
    answer = post_import(client, target, file).json()
    exported = export_dashboards(client, new_ids(answer, "dashboard"))
    assert by_id(exported) == by_id(file, id_map(answer))
    assert len(exported) == len(file)


def test_configuration_xml_is_replaced_by_the_registered_definitions_xml(
    client: Client, target: str
) -> None:
    second = register_definition(client, type="process", xml=CUSTOM_BPMN)
    assert second.json()["version"] == "2"
    file = [
        process_report_entity("latest", xml="<placeholder/>"),
        process_report_entity("first", versions=("1",), xml=None),
        decision_report_entity("decision"),
    ]
    ids = id_map(post_import(client, target, file).json())
    exported = {e["id"]: e for e in export_reports(client, ids.values())}
    assert exported[ids["latest"]]["data"]["configuration"]["xml"] == CUSTOM_BPMN
    assert exported[ids["first"]]["data"]["configuration"]["xml"] == INVOICE_BPMN
    assert exported[ids["decision"]]["data"]["configuration"]["xml"] == INVOICE_DMN


def test_the_demo_dashboards_move_into_a_new_collection_and_export_back_the_same(
    demo_client: Client,
) -> None:
    original = export_dashboards(demo_client, [DEMO_OVERVIEW_DASHBOARD, DEMO_DECISION_DASHBOARD])
    target = ready_collection(demo_client, tenants=[DEMO_TENANT], name="Copy")
    response = post_import(demo_client, target, original)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert [i["sourceId"] for i in answer] == [e["id"] for e in original]
    ids = id_map(answer)
    again = export_dashboards(demo_client, new_ids(answer, "dashboard"))
    assert [e["id"] for e in again] == [ids[e["id"]] for e in original]
    assert by_id(again) == by_id(original, ids)
    filters = next(e for e in again if e["exportEntityType"] == "dashboard")["availableFilters"]
    assert [f["type"] for f in filters] == ["instanceStartDate", "state", "variable", "assignee"]


def test_importing_the_same_file_twice_creates_two_independent_copies(
    client: Client, target: str
) -> None:
    first = post_import(client, target, sample_file()).json()
    second = post_import(client, target, sample_file()).json()
    assert [i["sourceId"] for i in first] == [i["sourceId"] for i in second]
    assert not {i["id"] for i in first} & {i["id"] for i in second}
    assert len(ids_in(client, "report", target)) == 8
    assert sorted(ids_in(client, "dashboard", target)) == sorted(
        new_ids(first, "dashboard") + new_ids(second, "dashboard")
    )
    copy_tiles = [
        t["id"] for t in export_dashboards(client, new_ids(second, "dashboard"))[-1]["tiles"]
    ]
    assert copy_tiles[:3] == [id_map(second)[r] for r in ("r1", "c1", "d1")]


def test_enum_values_are_read_case_insensitively(client: Client, target: str) -> None:
    report = {**process_report_entity("r1"), "exportEntityType": "SINGLE_PROCESS_REPORT"}
    board = {**dashboard_entity("dash", ["r1"]), "exportEntityType": "Dashboard"}
    answer = post_import(client, target, [report, board]).json()
    exported = export_dashboards(client, new_ids(answer, "dashboard"))
    assert [e["exportEntityType"] for e in exported] == ["single_process_report", "dashboard"]


def test_a_legacy_dashboard_with_current_versions_imports_in_the_tiles_layout(
    client: Client, target: str
) -> None:
    legacy = {
        "id": "old",
        "exportEntityType": "dashboard",
        "name": "Old layout",
        "description": None,
        "sourceIndexVersion": 8,
        "collectionId": None,
        "reports": [
            {
                "id": "r1",
                "position": {"x": 0, "y": 0},
                "dimensions": {"width": 6, "height": 4},
                "configuration": None,
            },
            {
                "id": "https://example.com/status",
                "position": {"x": 6, "y": 0},
                "dimensions": {"width": 12, "height": 4},
                "configuration": None,
            },
        ],
        "availableFilters": [],
    }
    response = post_import(client, target, [process_report_entity("r1"), legacy])
    assert response.status_code == 200, response.text
    ids = id_map(response.json())
    board = export_dashboards(client, [ids["old"]])[-1]
    assert "reports" not in board
    assert board["tiles"] == [
        {
            "id": ids["r1"],
            "position": {"x": 0, "y": 0},
            "dimensions": {"width": 6, "height": 4},
            "type": "optimize_report",
            "configuration": None,
        },
        {
            "id": "",
            "position": {"x": 6, "y": 0},
            "dimensions": {"width": 12, "height": 4},
            "type": "external_url",
            "configuration": {"external": "https://example.com/status"},
        },
    ]


# --- check 1: the collection -----------------------------------------------------------------


@pytest.mark.parametrize("collection_id", [None, ""], ids=["absent", "empty"])
def test_an_import_without_a_collection_id_is_a_bad_request(
    client: Client, target: str, collection_id: str | None
) -> None:
    response = post_import(client, collection_id, sample_file())
    body = error_body(response, 400, "badRequestError")
    assert body["detailedMessage"] == MISSING_COLLECTION
    assert_collection_empty(client, target)


@pytest.mark.parametrize(
    "body",
    [json.dumps(sample_file()), "", "not json", "[{}]", "42"],
    ids=["valid", "empty", "not-json", "malformed-entity", "number"],
)
def test_an_unknown_collection_is_not_found_whatever_the_body(client: Client, body: str) -> None:
    response = post_import(client, "no-such-collection", body, raw=True)
    error = error_body(response, 404, "notFoundError")
    assert "no-such-collection" in error["detailedMessage"]


# --- check 2: the file -----------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", "   ", "\n\t"], ids=["nothing", "spaces", "whitespace"])
def test_an_empty_body_is_an_invalid_import_file(client: Client, target: str, body: str) -> None:
    error_body(post_import(client, target, body, raw=True), 400, "importFileInvalid")
    assert_collection_empty(client, target)


@pytest.mark.parametrize("body", ["[", "{nope}", "[1,]", b"\xff\xfe", "[{'id': 'r1'}]"], ids=str)
def test_a_body_that_is_not_json_is_an_invalid_import_file(
    client: Client, target: str, body: str | bytes
) -> None:
    error_body(post_import(client, target, body, raw=True), 400, "importFileInvalid")
    assert_collection_empty(client, target)


@pytest.mark.parametrize(
    "body", ["42", '"a string"', "null", "true", "[1]", '["r1"]', "[[]]", "[null]"]
)
def test_a_body_that_is_not_a_list_of_export_entities_is_an_invalid_import_file(
    client: Client, target: str, body: str
) -> None:
    error_body(post_import(client, target, body, raw=True), 400, "importFileInvalid")
    assert_collection_empty(client, target)


MALFORMED: dict[str, tuple[Callable[[], list[Entity]], tuple[str, ...]]] = {
    "report without id": (
        lambda: [process_report_entity("r0"), without(process_report_entity("r1"), "id")],
        ("entity #2", "'id'"),
    ),
    "report with an empty id": (
        lambda: [{**process_report_entity("r1"), "id": ""}],
        ("entity #1", "'id'"),
    ),
    "report with a numeric id": (
        lambda: [{**process_report_entity("r1"), "id": 7}],
        ("entity #1", "'id'"),
    ),
    "report without name": (
        lambda: [without(process_report_entity("r1"), "name")],
        ('report "r1"', "'name'"),
    ),
    "report without data": (
        lambda: [process_report_entity("r0"), without(process_report_entity("r1"), "data")],
        ('report "r1"', "'data'"),
    ),
    "report whose data is a list": (
        lambda: [{**process_report_entity("r1"), "data": []}],
        ('report "r1"', "'data'"),
    ),
    "dashboard without tiles": (
        lambda: [process_report_entity("r1"), without(dashboard_entity("dash", ["r1"]), "tiles")],
        ('dashboard "dash"', "'tiles'"),
    ),
    "dashboard whose tiles are an object": (
        lambda: [{**dashboard_entity("dash"), "tiles": {}}],
        ('dashboard "dash"', "'tiles'"),
    ),
    "unknown exportEntityType": (
        lambda: [{**process_report_entity("r1"), "exportEntityType": "combined_process_report"}],
        ('"r1"', "'exportEntityType'"),
    ),
    "missing exportEntityType": (
        lambda: [without(process_report_entity("r1"), "exportEntityType")],
        ('"r1"', "'exportEntityType'"),
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_entity_is_an_invalid_import_file_naming_the_entity_and_field(
    client: Client, target: str, case: str
) -> None:
    build, fragments = MALFORMED[case]
    body = error_body(post_import(client, target, build()), 400, "importFileInvalid")
    for fragment in fragments:
        assert fragment in body["detailedMessage"]
    assert_collection_empty(client, target)


def test_an_empty_array_is_a_file_with_nothing_to_import(client: Client, target: str) -> None:
    """Only an empty body is refused as empty; `[]` parses to no entities, as in Optimize."""
    response = post_import(client, target, "[]", raw=True)
    assert (response.status_code, response.json()) == (200, [])
    assert_collection_empty(client, target)


def test_a_single_object_counts_as_a_one_element_array(client: Client, target: str) -> None:
    response = post_import(client, target, process_report_entity("r1"))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert [(i["sourceId"], i["entityType"]) for i in answer] == [("r1", "report")]
    assert ids_in(client, "report", target) == [answer[0]["id"]]


# --- check 3: duplicate IDs ------------------------------------------------------------------


def test_identical_duplicates_collapse_to_one_entity(client: Client, target: str) -> None:
    report = process_report_entity("r1")
    other_origin = {**copy.deepcopy(report), "collectionId": "another-collection"}
    file = [report, dashboard_entity("dash", ["r1"]), copy.deepcopy(report), other_origin]
    response = post_import(client, target, file)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert [(i["sourceId"], i["entityType"]) for i in answer] == [
        ("r1", "report"),
        ("dash", "dashboard"),
    ]
    assert ids_in(client, "report", target) == [answer[0]["id"]]


def test_a_report_export_concatenated_with_a_dashboard_export_sharing_a_report_imports(
    demo_client: Client,
) -> None:
    shared = "6441b60c-eb39-476c-b84b-7c96aa9f986a"
    reports = export_reports(demo_client, [shared])
    dashboards = export_dashboards(demo_client, [DEMO_OVERVIEW_DASHBOARD])
    assert shared in {e["id"] for e in dashboards}
    target = ready_collection(demo_client, tenants=[DEMO_TENANT])
    response = post_import(demo_client, target, reports + dashboards)
    assert response.status_code == 200, response.text
    answer = response.json()
    expected = list(dict.fromkeys(e["id"] for e in reports + dashboards))
    assert [i["sourceId"] for i in answer] == expected
    assert len(ids_in(demo_client, "report", target)) == len(expected) - 1


@pytest.mark.parametrize(
    "file",
    [
        [process_report_entity("r1"), process_report_entity("r1", name="Another name")],
        [process_report_entity("r1"), process_report_entity("r1", description="Changed")],
        [process_report_entity("r1"), dashboard_entity("r1")],
    ],
    ids=["renamed", "new-description", "report-and-dashboard"],
)
def test_different_entities_with_the_same_id_are_refused_naming_the_id(
    client: Client, target: str, file: list[Entity]
) -> None:
    body = error_body(post_import(client, target, file), 400, "importFileInvalid")
    assert '"r1"' in body["detailedMessage"]
    assert_collection_empty(client, target)


# --- check 4: references ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "missing"),
    [
        (
            [process_report_entity("r1"), dashboard_entity("dash", ["r1", "ghost", "phantom"])],
            ["ghost", "phantom"],
        ),
        ([process_report_entity("r1"), combined_report_entity("c1", ["r1", "ghost"])], ["ghost"]),
    ],
    ids=["dashboard-tile", "combined-child"],
)
def test_a_reference_to_a_report_not_in_the_file_is_refused_listing_it(
    client: Client, target: str, file: list[Entity], missing: list[str]
) -> None:
    body = error_body(post_import(client, target, file), 400, "importFileInvalid")
    for report_id in missing:
        assert f'"{report_id}"' in body["detailedMessage"]
    assert_collection_empty(client, target)


def test_a_tile_naming_a_dashboard_instead_of_a_report_is_an_invalid_import_file(
    client: Client, target: str
) -> None:
    file = [
        process_report_entity("r1"),
        dashboard_entity("inner", ["r1"]),
        dashboard_entity("outer", ["inner"]),
    ]
    body = error_body(post_import(client, target, file), 400, "importFileInvalid")
    assert '"inner"' in body["detailedMessage"]
    assert_collection_empty(client, target)


# --- check 5: entities Optimize maintains itself ---------------------------------------------


@pytest.mark.parametrize(
    ("file", "named"),
    [
        ([process_report_entity("r1"), process_report_entity("m1", managementReport=True)], "m1"),
        (
            [process_report_entity("r1"), process_report_entity("ip1", instantPreviewReport=True)],
            "ip1",
        ),
        (
            [
                process_report_entity("r1"),
                {**dashboard_entity("ipd", ["r1"]), "instantPreviewDashboard": True},
            ],
            "ipd",
        ),
    ],
    ids=["management-report", "instant-preview-report", "instant-preview-dashboard"],
)
def test_management_and_instant_preview_entities_are_a_bad_request(
    client: Client, target: str, file: list[Entity], named: str
) -> None:
    body = error_body(post_import(client, target, file), 400, "badRequestError")
    assert f'"{named}"' in body["detailedMessage"]
    assert '"r1"' not in body["detailedMessage"]
    assert_collection_empty(client, target)


# --- check 6: reports ------------------------------------------------------------------------


INDEX_MISMATCHES: dict[str, tuple[Entity, dict[str, Any]]] = {
    "process": (
        process_report_entity("x", source_index_version=4),
        {
            "indexName": "optimize-single-process-report_v11",
            "sourceIndexVersion": 4,
            "targetIndexVersion": 11,
        },
    ),
    "decision": (
        decision_report_entity("x", source_index_version=11),
        {
            "indexName": "optimize-single-decision-report_v10",
            "sourceIndexVersion": 11,
            "targetIndexVersion": 10,
        },
    ),
    "combined": (
        combined_report_entity("x", [], source_index_version=3),
        {
            "indexName": "optimize-combined-report_v5",
            "sourceIndexVersion": 3,
            "targetIndexVersion": 5,
        },
    ),
    "dashboard": (
        dashboard_entity("x", source_index_version=3),
        {"indexName": "optimize-dashboard_v8", "sourceIndexVersion": 3, "targetIndexVersion": 8},
    ),
}


@pytest.mark.parametrize("case", list(INDEX_MISMATCHES))
def test_a_source_index_version_mismatch_is_refused_with_the_mismatching_index(
    client: Client, target: str, case: str
) -> None:
    entity, mismatch = INDEX_MISMATCHES[case]
    response = post_import(client, target, [process_report_entity("fine"), entity])
    body = error_body(response, 400, "importIndexVersionMismatch")
    assert body["mismatchingIndices"] == [mismatch]
    assert '"x"' in body["detailedMessage"]
    assert '"fine"' not in body["detailedMessage"]
    assert_collection_empty(client, target)


def test_an_index_version_mismatch_lists_every_mismatching_entity_and_each_index_once(
    client: Client, target: str
) -> None:
    file = [
        process_report_entity("r1", source_index_version=4),
        process_report_entity("r2", source_index_version=4),
        decision_report_entity("d1"),
        dashboard_entity("dash", ["r1", "r2", "d1"], source_index_version=3),
    ]
    body = error_body(post_import(client, target, file), 400, "importIndexVersionMismatch")
    indices = sorted(body["mismatchingIndices"], key=lambda m: m["indexName"])
    assert indices == [
        {"indexName": "optimize-dashboard_v8", "sourceIndexVersion": 3, "targetIndexVersion": 8},
        {
            "indexName": "optimize-single-process-report_v11",
            "sourceIndexVersion": 4,
            "targetIndexVersion": 11,
        },
    ]
    for named in ("r1", "r2", "dash"):
        assert f'"{named}"' in body["detailedMessage"]
    assert '"d1"' not in body["detailedMessage"]
    assert_collection_empty(client, target)


def test_an_unknown_definition_is_refused_listing_it_in_definitions(
    client: Client, target: str
) -> None:
    file = [
        process_report_entity("r1"),
        process_report_entity("r2", key="shipping", versions=("3",), tenants=(None,)),
        decision_report_entity("d1", key="risk"),
    ]
    body = error_body(post_import(client, target, file), 400, "importDefinitionDoesNotExist")
    assert body["definitions"] == [
        {"type": "process", "key": "shipping", "versions": ["3"], "tenantIds": [None]},
        {"type": "decision", "key": "risk", "versions": ["all"], "tenantIds": [None]},
    ]
    assert "shipping" in body["detailedMessage"]
    assert_collection_empty(client, target)


def test_a_definition_known_only_for_another_tenant_does_not_exist(
    client: Client, target: str
) -> None:
    assert register_definition(client, type="process", key="tenanted", tenantId="a").is_success
    file = [process_report_entity("r1", key="tenanted", tenants=("b",))]
    body = error_body(post_import(client, target, file), 400, "importDefinitionDoesNotExist")
    assert body["definitions"] == [
        {"type": "process", "key": "tenanted", "versions": ["all"], "tenantIds": ["b"]}
    ]
    assert_collection_empty(client, target)


def test_unknown_concrete_versions_are_dropped_from_the_imported_report(
    client: Client, target: str
) -> None:
    assert register_definition(client, type="process", xml=INVOICE_BPMN).json()["version"] == "2"
    original = process_report_entity("r1", versions=("1", "2", "7"))
    answer = post_import(client, target, [original]).json()
    (exported,) = export_reports(client, new_ids(answer, "report"))
    assert exported["data"]["definitions"][0]["versions"] == ["1", "2"]
    expected = copy.deepcopy(original)
    expected["data"]["definitions"][0]["versions"] = ["1", "2"]
    assert by_id([exported]) == by_id([expected], id_map(answer))


def test_a_report_naming_its_definition_the_pre_3_5_way_is_checked_and_trimmed_alike(
    client: Client, target: str
) -> None:
    original = process_report_entity("r1")
    del original["data"]["definitions"]
    original["data"].update(
        processDefinitionKey="invoice",
        processDefinitionName="Invoice Approval",
        processDefinitionVersions=["1", "9"],
        tenantIds=[None],
    )
    answer = post_import(client, target, [original]).json()
    (exported,) = export_reports(client, new_ids(answer, "report"))
    (definition,) = exported["data"]["definitions"]  # migrated to the 3.5 layout on the way in
    assert (definition["key"], definition["versions"]) == ("invoice", ["1"])
    assert "processDefinitionVersions" not in exported["data"]
    unknown = copy.deepcopy(original)
    unknown["data"]["processDefinitionKey"] = "shipping"
    body = error_body(post_import(client, target, [unknown]), 400, "importDefinitionDoesNotExist")
    assert body["definitions"] == [
        {"type": "process", "key": "shipping", "versions": ["1", "9"], "tenantIds": [None]}
    ]


def test_a_report_fails_only_when_none_of_its_concrete_versions_is_known(
    client: Client, target: str
) -> None:
    file = [process_report_entity("r1", versions=("7", "8"))]
    body = error_body(post_import(client, target, file), 400, "importDefinitionDoesNotExist")
    assert body["definitions"] == [
        {"type": "process", "key": "invoice", "versions": ["7", "8"], "tenantIds": [None]}
    ]
    assert_collection_empty(client, target)


def test_a_definition_outside_the_collection_scope_is_a_conflict(
    client: Client, target: str
) -> None:
    assert register_definition(client, type="process", key="shipping").is_success
    file = [process_report_entity("r1"), process_report_entity("r2", key="shipping")]
    body = error_body(post_import(client, target, file), 409, "nonDefinitionScopeCompliantConflict")
    assert body["conflictedItems"] == [{"id": target, "type": "collection", "name": "Target"}]
    assert "shipping" in body["detailedMessage"]
    assert_collection_empty(client, target)


@pytest.mark.parametrize("tenants", [("tenant-b",), (None, "tenant-b")], ids=["other", "extra"])
def test_a_tenant_outside_the_collection_scope_is_a_conflict(
    client: Client, target: str, tenants: tuple[str | None, ...]
) -> None:
    file = [process_report_entity("r1", tenants=tenants)]
    body = error_body(post_import(client, target, file), 409, "nonTenantScopeCompliantConflict")
    assert body["conflictedItems"] == [{"id": target, "type": "collection", "name": "Target"}]
    assert "tenant-b" in body["detailedMessage"]
    assert_collection_empty(client, target)


@pytest.mark.parametrize("description", ["", "x" * 401], ids=["empty", "401-characters"])
@pytest.mark.parametrize("owner", ["report", "dashboard"])
def test_an_invalid_description_is_refused(
    client: Client, target: str, description: str, owner: str
) -> None:
    report = process_report_entity("r1", description=description if owner == "report" else None)
    board = dashboard_entity(
        "dash", ["r1"], description=description if owner == "dashboard" else None
    )
    body = error_body(post_import(client, target, [report, board]), 400, "importDescriptionInvalid")
    assert ('"r1"' if owner == "report" else '"dash"') in body["detailedMessage"]
    assert_collection_empty(client, target)


def test_a_description_of_400_characters_is_imported_as_it_is(client: Client, target: str) -> None:
    text = "y" * 400
    file = [
        process_report_entity("r1", description=text),
        dashboard_entity("dash", ["r1"], description=text),
    ]
    answer = post_import(client, target, file).json()
    exported = export_dashboards(client, new_ids(answer, "dashboard"))
    assert [e["description"] for e in exported] == [text, text]


# --- check 7: dashboard filters --------------------------------------------------------------


def test_a_variable_filter_with_a_name_and_a_type_imports_though_no_such_variable_is_known(
    client: Client, target: str
) -> None:
    filters = [
        variable_filter("customerName", "String"),
        variable_filter("amount", "Double"),
        {"type": "state", "data": {"defaultValues": None}},
        {"type": "assignee", "data": {"operator": "in", "values": []}},
        {"type": "assignee", "data": {"operator": "not in", "values": []}},
    ]
    file = [process_report_entity("r1"), dashboard_entity("dash", ["r1"], filters=filters)]
    response = post_import(client, target, file)
    assert response.status_code == 200, response.text
    exported = export_dashboards(client, new_ids(response.json(), "dashboard"))
    assert exported[-1]["availableFilters"] == filters


BAD_FILTERS: dict[str, list[Entity]] = {
    "two state filters": [
        {"type": "state", "data": {"defaultValues": None}},
        {"type": "state", "data": {"defaultValues": None}},
    ],
    "two start date filters": [
        {"type": "instanceStartDate", "data": {}},
        {"type": "instanceStartDate", "data": {}},
    ],
    "variable without a name": [variable_filter(name=None)],
    "variable with a blank name": [variable_filter(name="  ")],
    "unknown variable type": [variable_filter(variable_type="Colour")],
    "variable without a type": [variable_filter(variable_type=None)],
    "filter without data": [{"type": "state"}],
    "two assignee in filters": [
        {"type": "assignee", "data": {"operator": "in", "values": []}},
        {"type": "assignee", "data": {"operator": "in", "values": ["demo"]}},
    ],
}


@pytest.mark.parametrize("case", list(BAD_FILTERS))
def test_invalid_dashboard_filters_are_refused_naming_the_dashboard(
    client: Client, target: str, case: str
) -> None:
    file = [
        process_report_entity("r1"),
        dashboard_entity("fine", ["r1"]),
        dashboard_entity("dash", ["r1"], filters=BAD_FILTERS[case]),
    ]
    body = error_body(post_import(client, target, file), 400, "importFileInvalid")
    assert '"dash"' in body["detailedMessage"]
    assert '"fine"' not in body["detailedMessage"]
    assert_collection_empty(client, target)


# --- the order of the checks -----------------------------------------------------------------

ORDER: dict[str, tuple[Callable[[], list[Entity]], int, str, str]] = {
    "a malformed entity before duplicate ids": (
        lambda: [
            process_report_entity("dup"),
            process_report_entity("dup", name="Other"),
            without(process_report_entity("nameless"), "name"),
        ],
        400,
        "importFileInvalid",
        "'name'",
    ),
    "duplicate ids before missing references": (
        lambda: [
            process_report_entity("dup"),
            process_report_entity("dup", name="Other"),
            dashboard_entity("dash", ["ghost"]),
        ],
        400,
        "importFileInvalid",
        '"dup"',
    ),
    "missing references before management reports": (
        lambda: [
            process_report_entity("m1", managementReport=True),
            dashboard_entity("dash", ["ghost"]),
        ],
        400,
        "importFileInvalid",
        '"ghost"',
    ),
    "management reports before index versions": (
        lambda: [process_report_entity("m1", managementReport=True, source_index_version=4)],
        400,
        "badRequestError",
        '"m1"',
    ),
    "index versions before unknown definitions": (
        lambda: [
            process_report_entity("r1", source_index_version=4),
            process_report_entity("r2", key="nope"),
        ],
        400,
        "importIndexVersionMismatch",
        '"r1"',
    ),
    "unknown definitions before the definition scope": (
        lambda: [
            process_report_entity("r1", key="nope"),
            process_report_entity("r2", key="outside"),
        ],
        400,
        "importDefinitionDoesNotExist",
        "nope",
    ),
    "the definition scope before the tenant scope": (
        lambda: [
            process_report_entity("r1", key="outside"),
            process_report_entity("r2", tenants=("t9",)),
        ],
        409,
        "nonDefinitionScopeCompliantConflict",
        "outside",
    ),
    "the tenant scope before descriptions": (
        lambda: [
            process_report_entity("r1", tenants=("t9",)),
            process_report_entity("r2", description=""),
        ],
        409,
        "nonTenantScopeCompliantConflict",
        "t9",
    ),
    "report descriptions before dashboard filters": (
        lambda: [
            process_report_entity("r1", description=""),
            dashboard_entity("dash", ["r1"], filters=[variable_filter(name=None)]),
        ],
        400,
        "importDescriptionInvalid",
        '"r1"',
    ),
}


@pytest.mark.parametrize("case", list(ORDER))
def test_the_first_failing_check_in_the_contracts_order_answers(
    client: Client, target: str, case: str
) -> None:
    assert register_definition(client, type="process", key="outside").is_success
    build, status, code, named = ORDER[case]
    body = error_body(post_import(client, target, build()), status, code)
    assert named in body["detailedMessage"]
    assert_collection_empty(client, target)


# --- dry run ---------------------------------------------------------------------------------


def test_a_dry_run_answers_the_items_with_null_ids_and_writes_nothing(
    client: Client, target: str
) -> None:
    response = post_import(client, target, sample_file(), dry_run=True)
    assert response.status_code == 200, response.text
    current = {"readAsRelease": "3.11 to 8.10"}
    assert response.json() == [
        {"id": None, "entityType": "report", "sourceId": "r1", **current},
        {"id": None, "entityType": "report", "sourceId": "r2", **current},
        {"id": None, "entityType": "report", "sourceId": "c1", **current},
        {"id": None, "entityType": "report", "sourceId": "d1", **current},
        {"id": None, "entityType": "dashboard", "sourceId": "dash", **current},
    ]
    assert_collection_empty(client, target)


def test_an_import_after_a_dry_run_creates_exactly_the_predicted_items(
    client: Client, target: str
) -> None:
    predicted = post_import(client, target, sample_file(), dry_run=True).json()
    answer = post_import(client, target, sample_file()).json()
    assert [(i["entityType"], i["sourceId"]) for i in answer] == [
        (i["entityType"], i["sourceId"]) for i in predicted
    ]
    assert all(isinstance(i["id"], str) for i in answer)
    assert sorted(ids_in(client, "report", target)) == sorted(new_ids(answer, "report"))
    assert ids_in(client, "dashboard", target) == new_ids(answer, "dashboard")


def test_a_dry_run_fails_exactly_as_the_import_would(client: Client, target: str) -> None:
    file = [
        process_report_entity("r1", key=DECISION_KEY),
        process_report_entity("r2", key="unknown"),
    ]
    dry = error_body(
        post_import(client, target, file, dry_run=True), 400, "importDefinitionDoesNotExist"
    )
    real = error_body(post_import(client, target, file), 400, "importDefinitionDoesNotExist")
    assert dry == real
    assert_collection_empty(client, target)


def test_an_import_needs_the_token(client: Client, target: str) -> None:
    response = client.post(
        "/api/public/import",
        params={"collectionId": target},
        content=json.dumps(sample_file()).encode(),
    )
    error_body(response, 401, "notAuthorizedError")
    assert_collection_empty(client, target)
