"""An import file broken in one place at a time: its encoding, a key twice, a field of the wrong
type, null, a NUL character or a lone surrogate anywhere, a number beyond what can be stored.
Each is refused with one of the import's codes, never a 500; what is free-form report data is
kept as it came."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.builders.wire import Entity, dashboard_entity, process_report_entity
from tests.e2e.hostile.answers import IMPORT_CODES, assert_error, assert_handled
from tests.e2e.hostile.sending import post_file, post_file_raw, send, send_json, valid_file
from tests.e2e.importing import EXPORT_REPORTS, Client, ready_collection


def test_an_import_file_in_latin1_is_an_invalid_import_file(hostile: Client) -> None:
    target = ready_collection(hostile)
    text = json.dumps([process_report_entity("r1", name="Räport")], ensure_ascii=False)
    body = assert_error(post_file_raw(hostile, target, text.encode("latin-1")), 400)
    assert body["errorCode"] == "importFileInvalid"
    assert "UTF-8" in body["detailedMessage"]
    with_bom = b"\xef\xbb\xbf" + text.encode()
    assert post_file_raw(hostile, target, with_bom).status_code == 200


def test_an_import_file_with_a_key_twice_anywhere_is_an_invalid_import_file(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    target = ready_collection(hostile)
    report_text = json.dumps(process_report_entity("r1"))
    board_text = json.dumps(dashboard_entity("d1", ["r1"]))
    variants = [
        ("id", report_text, '"id": "r1"', '"id": "r1", "id": "r2"'),
        ("name", report_text, '"name": "Report r1"', '"name": "Report r1", "name": "Other"'),
        (
            "data",
            report_text,
            '"visualization": "number"',
            '"visualization": "number", "visualization": "table"',
        ),
        ("definition", report_text, '"key": "invoice"', '"key": "invoice", "key": "other"'),
        ("tile", board_text, '"x": 0', '"x": 0, "x": 1'),
    ]
    for where, text, once, twice in variants:
        with subtests.test(where=where):
            assert once in text
            variant = text.replace(once, twice, 1)
            file = f"[{report_text}, {variant}]" if text is board_text else f"[{variant}]"
            body = assert_error(post_file_raw(hostile, target, file.encode()), 400)
            assert body["errorCode"] == "importFileInvalid"
            assert "twice" in body["detailedMessage"]
    assert send(hostile, "GET", f"/api/public/report?collectionId={target}", None).json() == []


IMPORT_WRONG_TYPES: list[tuple[int, str, Any]] = [
    (0, "id", 5),
    (0, "name", 5),
    (0, "description", 5),
    (0, "collectionId", 5),
    (0, "exportEntityType", 5),
    (0, "sourceIndexVersion", "11"),
    (0, "sourceIndexVersion", 11.5),
    (0, "data", "x"),
    (3, "tiles", "x"),
    (3, "availableFilters", "x"),
    (2, "data", {"reports": [{"id": 5}]}),
]


def test_an_import_field_of_the_wrong_type_is_an_invalid_import_file(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    target = ready_collection(hostile)
    for index, field, value in IMPORT_WRONG_TYPES:
        with subtests.test(field=field, value=value):
            file = valid_file()
            file[index][field] = value
            body = assert_error(post_file(hostile, target, file), 400, "importFileInvalid")
            assert field in body["detailedMessage"]
    for tile_field, value in (
        ("id", 5),
        ("type", 5),
        ("position", {"x": "0", "y": 0}),
        ("dimensions", {"width": 1, "height": "2"}),
        ("configuration", "text"),
    ):
        with subtests.test(tile_field=tile_field, value=value):
            file = valid_file()
            file[3]["tiles"][0][tile_field] = value
            body = assert_error(post_file(hostile, target, file), 400, "importFileInvalid")
            assert "tiles[0]" in body["detailedMessage"]
    assert send(hostile, "GET", f"/api/public/report?collectionId={target}", None).json() == []


def _null_variants(file: list[Entity]) -> Iterator[tuple[str, list[Entity]]]:
    """The file with null in one place at a time: every field of every entity, of every tile
    and its position and dimensions, of every filter, of the report data and its definitions,
    and of the combined report's children."""

    def paths(value: Any, prefix: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
        if isinstance(value, dict):
            for key, item in value.items():
                yield (*prefix, key)
                if key not in {"configuration", "view", "groupBy", "distributedBy"}:
                    yield from paths(item, (*prefix, key))
        elif isinstance(value, list):
            for position, item in enumerate(value):
                yield (*prefix, position)
                yield from paths(item, (*prefix, position))

    for path in paths(file, ()):
        changed = copy.deepcopy(file)
        holder: Any = changed
        for step in path[:-1]:
            holder = holder[step]
        holder[path[-1]] = None
        yield ".".join(str(p) for p in path), changed


# The nulls the contract answers with a specific error, and some it accepts as "absent"; every
# other null is either accepted or refused with one of the import's codes, never a 5xx.
NULL_IN_IMPORT = {
    "0": "importFileInvalid",
    "0.id": "importFileInvalid",
    "0.exportEntityType": "importFileInvalid",
    "0.name": "importFileInvalid",
    "0.data": "importFileInvalid",
    "0.sourceIndexVersion": "importIndexVersionMismatch",
    "3.tiles": "importFileInvalid",
    "3.tiles.0.position": "importFileInvalid",
    "3.tiles.0.position.x": "importFileInvalid",
    "3.tiles.0.dimensions.height": "importFileInvalid",
    "3.tiles.0.type": "importFileInvalid",
    "3.tiles.0.id": "importFileInvalid",
    "3.availableFilters.0": "importFileInvalid",
    "3.availableFilters.0.data": "importFileInvalid",
    "2.data.reports.0.id": "importFileInvalid",
}


NULL_ACCEPTED = {"0.description", "0.collectionId", "3.availableFilters", "3.tiles.2.id"}


def test_null_in_every_place_of_an_import_file_is_refused_or_means_absent(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    target = ready_collection(hostile)
    seen: set[str] = set()
    for where, file in _null_variants(valid_file()):
        seen.add(where)
        with subtests.test(null_at=where):
            response = post_file(hostile, target, file)
            assert_handled(response, IMPORT_CODES)
            expected = NULL_IN_IMPORT.get(where)
            if expected is not None:
                assert_error(response, 400, expected)
            if where in NULL_ACCEPTED:
                assert response.status_code == 200, response.text
    assert set(NULL_IN_IMPORT) | NULL_ACCEPTED <= seen
    assert len(seen) > 80


def test_a_nul_character_in_an_imported_name_or_description_is_an_invalid_import_file(
    hostile: Client,
) -> None:
    target = ready_collection(hostile)
    answers = []
    for index, field in ((0, "name"), (0, "description"), (3, "name"), (3, "description")):
        file = valid_file()
        file[index][field] = "a\u0000b"
        response = post_file(hostile, target, file)
        assert_handled(response, IMPORT_CODES)
        code = response.json().get("errorCode") if response.status_code >= 400 else None
        answers.append((field, response.status_code, code))
    assert all(a[1:] == (400, "importFileInvalid") for a in answers), answers


def test_a_nul_character_in_a_referenced_definition_key_is_an_invalid_import_file(
    hostile: Client,
) -> None:
    target = ready_collection(hostile)
    file = [process_report_entity("r1", key="invoice\u0000")]
    assert_error(post_file(hostile, target, file), 400, "importFileInvalid")


def test_nul_inside_free_form_report_data_is_kept_as_it_came(hostile: Client) -> None:
    target = ready_collection(hostile)
    report = process_report_entity("r1", note="a\u0000b", view={"entity": "x\u0000"})
    response = post_file(hostile, target, [report])
    assert response.status_code == 200, response.text
    (created,) = response.json()
    exported = send_json(hostile, "POST", EXPORT_REPORTS, [created["id"]]).json()
    assert exported[0]["data"]["note"] == "a\u0000b"


def test_a_lone_surrogate_in_an_import_file_is_an_invalid_import_file(
    hostile: Client, subtests: pytest.Subtests
) -> None:
    target = ready_collection(hostile)
    for index, field in ((0, "name"), (0, "description"), (0, "id"), (3, "name")):
        with subtests.test(field=field):
            file = valid_file()
            file[index][field] = "\ud800"
            body = assert_error(post_file(hostile, target, file), 400, "importFileInvalid")
            assert "surrogate" in body["detailedMessage"]
    paired = valid_file()
    paired[0]["name"] = "😀 \U0001f600"
    assert post_file(hostile, target, paired).status_code == 200


def test_a_tile_coordinate_beyond_what_can_be_stored_is_an_invalid_import_file(
    hostile: Client,
) -> None:
    target = ready_collection(hostile)
    answers = []
    for value in (2**31, -(2**40), 2**63, 2**70, 1e300):
        file = valid_file()
        file[3]["tiles"][0]["position"]["x"] = value
        response = post_file(hostile, target, file)
        code = response.json().get("errorCode") if response.status_code >= 400 else None
        answers.append((value, response.status_code, code))
        if code == "importFileInvalid":
            assert "tiles[0].position.x" in response.json()["detailedMessage"]
    assert all(a[1:] == (400, "importFileInvalid") for a in answers), answers


def test_a_huge_source_index_version_is_a_mismatch_not_a_crash(hostile: Client) -> None:
    target = ready_collection(hostile)
    file = valid_file()
    file[0]["sourceIndexVersion"] = 10**40
    body = assert_error(post_file(hostile, target, file), 400, "importIndexVersionMismatch")
    assert body["mismatchingIndices"][0]["sourceIndexVersion"] == 10**40
