from __future__ import annotations

from domain.definition import (
    Definition,
    DefinitionCatalog,
    DefinitionRef,
    DefinitionType,
    definition_refs,
    next_version,
)
from domain.entity_type import EntityType
from domain.export_format.reader import read_export_file
from domain.json_document import JsonDocument, JsonValue
from domain.report import Report

PROCESS = DefinitionType.PROCESS


def report_with(
    data: dict[str, JsonValue], entity_type: EntityType = EntityType.SINGLE_PROCESS_REPORT
) -> Report:
    return Report("r", entity_type, "R", None, None, JsonDocument.from_value(data))


def test_a_report_names_its_definitions_with_versions_and_tenants() -> None:
    report = report_with(
        {
            "definitions": [
                {"key": "a", "versions": ["1", "2"], "tenantIds": ["t1", None]},
                {"key": "b"},
            ]
        }
    )
    assert definition_refs(report) == (
        DefinitionRef(PROCESS, "a", ("1", "2"), ("t1", None)),
        DefinitionRef(PROCESS, "b", (), (None,)),
    )


def test_reports_written_before_optimize_3_5_name_their_definition_once_read() -> None:
    (entry,) = read_export_file(
        {
            "id": "r",
            "exportEntityType": "single_decision_report",
            "name": "R",
            "sourceIndexVersion": 6,
            "data": {
                "decisionDefinitionKey": "d",
                "decisionDefinitionVersions": ["3"],
                "tenantIds": [],
            },
        }
    )
    assert entry.refs == (DefinitionRef(DefinitionType.DECISION, "d", ("3",), (None,)),)


def test_a_combined_report_names_no_definition() -> None:
    report = report_with({"reports": []}, EntityType.COMBINED_REPORT)
    assert definition_refs(report) == ()


def test_all_and_latest_are_not_concrete_versions() -> None:
    assert DefinitionRef(PROCESS, "a", ("all",), (None,)).concrete_versions == ()
    assert DefinitionRef(PROCESS, "a", ("latest", "3"), (None,)).concrete_versions == ()
    assert DefinitionRef(PROCESS, "a", ("3",), (None,)).concrete_versions == ("3",)


def test_versions_count_up_numerically() -> None:
    assert next_version([]) == "1"
    assert next_version(["1", "9", "10", "beta"]) == "11"


def test_the_catalog_picks_the_highest_version_the_report_covers() -> None:
    catalog = DefinitionCatalog(
        [
            Definition(PROCESS, "a", "2", None, "A", "<two/>"),
            Definition(PROCESS, "a", "10", None, "A", "<ten/>"),
            Definition(PROCESS, "a", "11", "other", "A", "<eleven/>"),
        ]
    )
    every = catalog.resolve(DefinitionRef(PROCESS, "a", ("all",), (None,)))
    assert every is not None
    assert (every.kept_versions, every.source.xml) == (("all",), "<ten/>")
    some = catalog.resolve(DefinitionRef(PROCESS, "a", ("2", "5"), (None,)))
    assert some is not None
    assert (some.kept_versions, some.source.xml) == (("2",), "<two/>")
    assert catalog.resolve(DefinitionRef(PROCESS, "a", ("5",), (None,))) is None
    assert catalog.resolve(DefinitionRef(DefinitionType.DECISION, "a", ("all",), (None,))) is None
