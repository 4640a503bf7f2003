"""What an overwriting import matches, and how a stored document compares with a parsed one."""

from __future__ import annotations

import pytest

from domain.collection import Collection, ScopeEntry
from domain.definition import Definition, DefinitionCatalog, DefinitionType
from domain.entity_type import EntityType
from domain.errors import OverwriteConflict
from domain.export_format.reader import read_export_file
from domain.import_plan import CheckedImport, check_import
from domain.json_document import JsonDocument, JsonValue
from domain.overwrite import StoredOrigin, match_stored
from tests.builders.domain import collection
from tests.builders.wire import Entity, dashboard_entity, process_report_entity, text_tile_json

TARGET: Collection = collection("target")
CATALOG = DefinitionCatalog([Definition(DefinitionType.PROCESS, "invoice", "1", None, None, None)])
SINGLE = EntityType.SINGLE_PROCESS_REPORT


def checked(*entities: Entity) -> CheckedImport:
    scoped = Collection(
        TARGET.id,
        TARGET.name,
        TARGET.owner_id,
        TARGET.created,
        (ScopeEntry(DefinitionType.PROCESS, "invoice", (None,)),),
    )
    return check_import(read_export_file(list(entities)), scoped, CATALOG)


def test_a_source_match_wins_over_an_id_match() -> None:
    stored = [StoredOrigin("r1", SINGLE, None), StoredOrigin("s1", SINGLE, "r1")]
    assert match_stored(checked(process_report_entity("r1")), stored)["r1"].id == "s1"


def test_an_id_shared_by_a_report_and_a_dashboard_matches_the_one_of_the_files_type() -> None:
    stored = [StoredOrigin("x", EntityType.DASHBOARD, None), StoredOrigin("x", SINGLE, None)]
    match = match_stored(checked(process_report_entity("x")), stored)["x"]
    assert match.entity_type is SINGLE


def test_a_single_report_stored_as_a_combined_one_is_a_conflict() -> None:
    stored = [StoredOrigin("k", EntityType.COMBINED_REPORT, "r1")]
    with pytest.raises(OverwriteConflict, match=r'report "r1".*report "k"'):
        match_stored(checked(process_report_entity("r1")), stored)


def test_unmatched_entities_are_absent_from_the_matches() -> None:
    file = checked(
        process_report_entity("r1"), dashboard_entity("d1", ["r1"], extra_tiles=[text_tile_json()])
    )
    assert match_stored(file, [StoredOrigin("other", SINGLE, "elsewhere")]) == {}


@pytest.mark.parametrize(
    ("text", "value", "equal"),
    [
        ('{"a":[1,"é"]}', {"a": [1, "é"]}, True),
        ('{"a": [1, "é"]}', {"a": [1, "é"]}, True),  # other spacing: compared as values
        ('{"big":1e16}', {"big": 1e16}, True),  # written differently, the same number
        ('{"a":[1,"é"]}', {"a": [2, "é"]}, False),
        ('{"a":true}', {"a": 1}, False),
    ],
)
def test_a_stored_document_equals_a_parsed_one_exactly_when_their_values_do(
    text: str, value: JsonValue, equal: bool
) -> None:
    stored, parsed = JsonDocument.from_text(text), JsonDocument.from_value(value)
    assert (stored == parsed) is equal
    assert (JsonDocument.from_value(value) == stored) is equal
    assert (JsonDocument.from_utf8(text.encode()) == JsonDocument.from_value(value)) is equal
