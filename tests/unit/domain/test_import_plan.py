from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import pytest

from domain.collection import Collection, ScopeEntry
from domain.dashboard import Dashboard
from domain.definition import Definition, DefinitionCatalog, DefinitionType
from domain.errors import (
    BadRequest,
    DefinitionScopeConflict,
    DefinitionsDoNotExist,
    DescriptionInvalid,
    ImportFileInvalid,
    IndexVersionMismatch,
    TenantScopeConflict,
)
from domain.export_format.reader import read_export_file
from domain.import_plan import ImportPlan, plan_import
from domain.json_document import JsonValue
from domain.report import Report
from tests.builders.wire import (
    Entity,
    combined_report_entity,
    dashboard_entity,
    process_report_entity,
    text_tile_json,
)

INVOICE_XML = "<definitions><process id='invoice'/></definitions>"
CATALOG = DefinitionCatalog(
    [
        Definition(DefinitionType.PROCESS, "invoice", "1", None, "Invoice", "<v1/>"),
        Definition(DefinitionType.PROCESS, "invoice", "2", None, "Invoice", INVOICE_XML),
        Definition(DefinitionType.PROCESS, "payroll", "1", "acme", "Payroll", None),
    ]
)
TARGET = Collection(
    "target",
    "Target",
    None,
    datetime(2026, 1, 1, tzinfo=UTC),
    (
        ScopeEntry(DefinitionType.PROCESS, "invoice", (None,)),
        ScopeEntry(DefinitionType.PROCESS, "payroll", ("acme",)),
    ),
)


def plan(
    entities: Sequence[Entity],
    collection: Collection = TARGET,
    catalog: DefinitionCatalog = CATALOG,
) -> ImportPlan:
    counter = itertools.count(1)
    document: list[JsonValue] = list(entities)
    return plan_import(
        read_export_file(document), collection, catalog, lambda: f"new-{next(counter)}"
    )


X = TypeVar("X", bound=Exception)


def refused(
    error: type[X],
    entities: Sequence[Entity],
    collection: Collection = TARGET,
    catalog: DefinitionCatalog = CATALOG,
) -> X:
    with pytest.raises(error) as caught:
        plan(entities, collection=collection, catalog=catalog)
    return caught.value


def test_every_entity_gets_a_new_id_in_the_target_collection_and_references_follow() -> None:
    result = plan(
        [
            process_report_entity("r1"),
            process_report_entity("r2"),
            combined_report_entity("k", ["r1", "r2"]),
            dashboard_entity("d", ["k", "r1"], extra_tiles=[text_tile_json()]),
        ]
    )
    assert [(i.id, i.entity_type, i.source_id) for i in result.items] == [
        ("new-1", "report", "r1"),
        ("new-2", "report", "r2"),
        ("new-3", "report", "k"),
        ("new-4", "dashboard", "d"),
    ]
    combined = result.reports[2]
    assert combined.child_ids == ("new-1", "new-2")
    data: Any = combined.data.value
    assert isinstance(data, dict)
    assert [e["id"] for e in data["reports"]] == ["new-1", "new-2"]
    (board,) = result.dashboards
    assert board.report_ids() == ("new-3", "new-1")
    assert {r.collection_id for r in result.reports} == {"target"}
    assert board.collection_id == "target"


def test_text_tiles_are_kept_as_they_are() -> None:
    tile = text_tile_json("Kept")
    (board,) = plan(
        [process_report_entity("r1"), dashboard_entity("d", ["r1"], extra_tiles=[tile])]
    ).dashboards
    text = [t for t in board.tiles if t.report_id is None]
    assert len(text) == 1
    assert text[0].configuration is not None
    assert text[0].configuration.value == {
        "text": {"root": {"type": "root", "children": [], "text": "Kept"}}
    }


def test_the_xml_is_replaced_by_the_latest_known_version_of_the_definition() -> None:
    (report,) = plan([process_report_entity("r1")]).reports
    data: Any = report.data.value
    assert data["configuration"]["xml"] == INVOICE_XML


def test_concrete_versions_unknown_here_are_dropped() -> None:
    (report,) = plan([process_report_entity("r1", versions=["1", "7"])]).reports
    data: Any = report.data.value
    assert data["definitions"][0]["versions"] == ["1"]
    assert data["configuration"]["xml"] == "<v1/>"


def test_a_report_whose_versions_are_all_unknown_names_the_missing_definition() -> None:
    error = refused(DefinitionsDoNotExist, [process_report_entity("r1", versions=["7", "8"])])
    assert isinstance(error, DefinitionsDoNotExist)
    (missing,) = error.definitions
    assert (missing.type, missing.key, missing.versions) == ("process", "invoice", ("7", "8"))
    assert 'report "r1"' in error.detail


def test_an_unknown_key_is_a_missing_definition() -> None:
    error = refused(DefinitionsDoNotExist, [process_report_entity("r1", key="shipping")])
    assert [d.key for d in error.definitions] == ["shipping"]


def test_a_definition_known_only_for_other_tenants_is_missing() -> None:
    refused(DefinitionsDoNotExist, [process_report_entity("r1", key="payroll", tenants=["globex"])])


def test_a_shared_definition_serves_every_tenant() -> None:
    collection = TARGET.with_scope([ScopeEntry(DefinitionType.PROCESS, "invoice", ("acme",))])
    result = plan([process_report_entity("r1", tenants=["acme"])], collection=collection)
    assert len(result.reports) == 1


def test_identical_duplicates_collapse_to_one() -> None:
    report = process_report_entity("r1")
    result = plan(
        [
            report,
            dashboard_entity("d", ["r1"], extra_tiles=[text_tile_json()]),
            dict(report, collectionId="elsewhere"),
        ]
    )
    assert [i.source_id for i in result.items] == ["r1", "d"]


def test_different_entities_with_one_id_are_refused_naming_the_id() -> None:
    other = process_report_entity("r1", visualization="table")
    error = refused(ImportFileInvalid, [process_report_entity("r1"), other])
    assert '"r1"' in error.args[0]


def test_a_reference_to_a_report_not_in_the_file_is_refused_listing_it() -> None:
    error = refused(
        ImportFileInvalid,
        [
            process_report_entity("r1"),
            dashboard_entity("d", ["r1", "gone", "lost"], extra_tiles=[text_tile_json()]),
        ],
    )
    assert error.args[0] == 'Reports referenced in the file are not in it: "gone", "lost"'


def test_a_combined_report_cannot_hold_a_combined_report_or_a_dashboard() -> None:
    error = refused(
        ImportFileInvalid,
        [
            process_report_entity("r1"),
            combined_report_entity("k1", ["r1"]),
            combined_report_entity("k2", ["k1"]),
        ],
    )
    assert 'report "k2" names "k1", which is a combined_report' in error.args[0]


@pytest.mark.parametrize(
    ("entity", "reason"),
    [
        (process_report_entity("m", managementReport=True), 'report "m" is a management report'),
        (process_report_entity("p", instantPreviewReport=True), "is an instant-preview report"),
        (
            dict(
                dashboard_entity("d", extra_tiles=[text_tile_json()]), instantPreviewDashboard=True
            ),
            'dashboard "d" is an instant-preview dashboard',
        ),
    ],
)
def test_optimizes_own_generated_entities_are_a_bad_request(entity: Entity, reason: str) -> None:
    assert reason in refused(BadRequest, [entity]).args[0]


def test_an_index_version_mismatch_names_every_mismatching_entity() -> None:
    error = refused(
        IndexVersionMismatch,
        [
            process_report_entity("r1", source_index_version=12),
            process_report_entity("r2", source_index_version=4),
            dashboard_entity("d", ["r1"], source_index_version=3, extra_tiles=[text_tile_json()]),
        ],
    )
    assert isinstance(error, IndexVersionMismatch)
    assert all(f'"{i}"' in error.detail for i in ("r1", "r2", "d"))
    assert [(m.index_name, m.source_version, m.target_version) for m in error.mismatches] == [
        ("optimize-single-process-report_v11", 12, 11),
        ("optimize-single-process-report_v11", 4, 11),
        ("optimize-dashboard_v8", 3, 8),
    ]


def test_a_definition_outside_the_collection_scope_is_a_conflict() -> None:
    narrow = Collection("c", "Narrow", None, TARGET.created)
    error = refused(DefinitionScopeConflict, [process_report_entity("r1")], collection=narrow)
    assert isinstance(error, DefinitionScopeConflict)
    assert (error.collection.id, error.collection.name) == ("c", "Narrow")


def test_a_tenant_outside_the_collection_scope_is_a_conflict() -> None:
    catalog = DefinitionCatalog(
        [Definition(DefinitionType.PROCESS, "payroll", "1", "globex", "Payroll", None)]
    )
    report = process_report_entity("r1", key="payroll", tenants=["globex"])
    error = refused(TenantScopeConflict, [report], catalog=catalog)
    assert "globex" in error.args[0]


@pytest.mark.parametrize(
    ("description", "valid"), [("", False), ("x" * 400, True), ("x" * 401, False)]
)
def test_a_description_is_empty_or_too_long_only_at_the_contracts_bounds(
    description: str, valid: bool
) -> None:
    entities = [dict(process_report_entity("r1"), description=description)]
    if valid:
        assert plan(entities).reports[0].description == description
    else:
        assert 'report "r1"' in refused(DescriptionInvalid, entities).args[0]


def test_a_dashboard_description_is_checked_too() -> None:
    refused(
        DescriptionInvalid,
        [dict(dashboard_entity("d", extra_tiles=[text_tile_json()]), description="")],
    )


def test_a_variable_filter_is_accepted_without_any_variable_being_known() -> None:
    variable: JsonValue = {
        "type": "variable",
        "data": {"name": "amount", "type": "Double", "data": {}},
    }
    (board,) = plan(
        [dashboard_entity("d", filters=[variable], extra_tiles=[text_tile_json()])]
    ).dashboards
    assert board.available_filters.value == [variable]


def test_a_bad_filter_is_refused_naming_the_dashboard_and_the_filter() -> None:
    twice: list[JsonValue] = [{"type": "state", "data": {}}, {"type": "state", "data": {}}]
    error = refused(
        ImportFileInvalid, [dashboard_entity("d", filters=twice, extra_tiles=[text_tile_json()])]
    )
    assert 'dashboard "d": availableFilters[1] (state)' in error.args[0]


def test_the_first_failing_check_answers_in_the_contracts_order() -> None:
    bad_everything = [
        process_report_entity("m", managementReport=True, source_index_version=12, key="shipping"),
        dashboard_entity(
            "d", ["m", "gone"], source_index_version=9, extra_tiles=[text_tile_json()]
        ),
    ]
    refused(ImportFileInvalid, bad_everything)  # 4: references
    refused(BadRequest, bad_everything[:1])  # 5: management reports
    mismatch_and_unknown = [process_report_entity("r", source_index_version=12, key="shipping")]
    refused(IndexVersionMismatch, mismatch_and_unknown)  # 6a before 6b
    unknown_and_unscoped = [process_report_entity("r", key="shipping")]
    refused(DefinitionsDoNotExist, unknown_and_unscoped)  # 6b before 6c
    described_and_filtered = [
        dict(process_report_entity("r"), description=""),
        dashboard_entity(
            "d", filters=[{"type": "nope", "data": {}}], extra_tiles=[text_tile_json()]
        ),
    ]
    refused(DescriptionInvalid, described_and_filtered)  # 6e before 7
    old_dashboard = dashboard_entity("d", source_index_version=3, extra_tiles=[text_tile_json()])
    refused(DefinitionsDoNotExist, [process_report_entity("r", key="shipping"), old_dashboard])
    refused(DescriptionInvalid, [dict(process_report_entity("r"), description=""), old_dashboard])
    refused(DescriptionInvalid, [dict(old_dashboard, description="")])  # 7: description first
    bad_filter = dashboard_entity(
        "d",
        source_index_version=3,
        filters=[{"type": "nope", "data": {}}],
        extra_tiles=[text_tile_json()],
    )
    refused(ImportFileInvalid, [bad_filter])  # 7: filters before the index version
    refused(IndexVersionMismatch, [process_report_entity("r"), old_dashboard])  # 7: version last


def test_a_report_version_refusal_lists_the_dashboards_that_mismatch_too() -> None:
    error = refused(
        IndexVersionMismatch,
        [
            process_report_entity("r", source_index_version=12),
            dashboard_entity("d", ["r"], source_index_version=9, extra_tiles=[text_tile_json()]),
        ],
    )
    assert 'dashboard "d"' in error.args[0]


def test_the_plan_holds_domain_entities_ready_to_store() -> None:
    result = plan(
        [process_report_entity("r1"), dashboard_entity("d", ["r1"], extra_tiles=[text_tile_json()])]
    )
    assert all(isinstance(r, Report) for r in result.reports)
    assert all(isinstance(d, Dashboard) for d in result.dashboards)
    assert [i.id for i in result.predicted()] == [None, None]
