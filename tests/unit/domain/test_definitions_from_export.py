from __future__ import annotations

from pathlib import Path

import pytest

from domain import definitions_from_export
from domain.definition import Definition, DefinitionType
from domain.definition_xml import read_definition_xml
from domain.definitions_from_export import definitions_to_register, scope_needed
from domain.export_format.reader import read_export_file
from domain.json_document import JsonValue
from tests.builders.wire import process_report_entity

BPMN = (Path(__file__).resolve().parents[3] / "entrypoints" / "demo" / "invoice.bpmn").read_text()
PROCESS = DefinitionType.PROCESS


def test_each_named_version_and_tenant_is_registered_with_the_xml_the_report_carries() -> None:
    entries = read_export_file(
        [
            process_report_entity("r1", versions=["1", "2"], tenants=["a", "b"], xml=BPMN),
            process_report_entity("r2", versions=["2"], tenants=["a"], xml=BPMN),
        ]
    )
    wanted = definitions_to_register(entries, [])
    assert sorted((d.version, d.tenant_id) for d in wanted) == [
        ("1", "a"),
        ("1", "b"),
        ("2", "a"),
        ("2", "b"),
    ]
    assert {d.xml for d in wanted} == {BPMN}


def test_all_versions_need_one_version_unless_one_is_known() -> None:
    entries = read_export_file([process_report_entity("r1", versions=["all"], xml=BPMN)])
    (first,) = definitions_to_register(entries, [])
    assert (first.version, first.tenant_id) == ("1", None)
    known = Definition(PROCESS, "invoice", "4", None, "Invoice", None)
    assert definitions_to_register(entries, [known]) == []


def test_a_placeholder_or_foreign_xml_is_not_registered_as_the_definitions_xml() -> None:
    placeholder = process_report_entity("r1", xml="string")
    other_key = process_report_entity("r2", key="payroll", xml=BPMN)
    wanted = definitions_to_register(read_export_file([placeholder, other_key]), [])
    assert {(d.key, d.xml) for d in wanted} == {("invoice", None), ("payroll", None)}


def test_the_scope_holds_every_named_definition_with_all_its_tenants() -> None:
    entries = read_export_file(
        [
            process_report_entity("r1", tenants=["a"]),
            process_report_entity("r2", tenants=["b", None]),
        ]
    )
    (entry,) = scope_needed(entries)
    assert (entry.definition_type, entry.key, entry.tenants) == (
        PROCESS,
        "invoice",
        ("a", "b", None),
    )


def test_the_xml_is_read_once_per_new_definition_not_once_per_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A file of thousands of reports that carry the same XML parsed it for every report:
    seconds per thousand 25 KB documents. It is read for a definition that is registered."""
    reads: list[str] = []

    def counting(definition_type: DefinitionType, xml: str) -> tuple[str, str | None]:
        reads.append(xml)
        return read_definition_xml(definition_type, xml)

    monkeypatch.setattr(definitions_from_export, "read_definition_xml", counting)
    reports: list[JsonValue] = [
        process_report_entity(f"r{n}", versions=["1"], xml=BPMN) for n in range(50)
    ]
    entries = read_export_file(reports)
    (wanted,) = definitions_to_register(entries, [])
    assert wanted.xml == BPMN
    assert len(reads) == 1
    known = Definition(PROCESS, "invoice", "1", None, "Invoice", None)
    assert definitions_to_register(entries, [known]) == []
    assert len(reads) == 1
