"""Each repository against SQLite and PostgreSQL, the same test body for both."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from domain.collection import Collection
from domain.dashboard import Dashboard
from domain.json_document import JsonDocument
from domain.report import Report
from entrypoints.container import Container
from tests.builders.domain import (
    collection,
    combined_report,
    dashboard,
    dashboard_of,
    external_tile,
    process_report,
    report_tile,
    text_tile,
)
from tests.databases import statements_run

DATA_TEXT = '{"b":1,"a":[1.0,2.5e-3,"\\u00e9 é"],"configuration":{"xml":"<x a=\\"1\\"/>"}}'


def store(
    container: Container,
    *,
    reports: Iterable[Report] = (),
    dashboards: Iterable[Dashboard] = (),
    collections: Iterable[Collection] = (),
) -> None:
    with container.writing_uow() as uow:
        for c in collections:
            uow.collections.add(c)
        uow.reports.add_all(reports)
        uow.dashboards.add_all(dashboards)
        uow.commit()


def test_a_report_comes_back_as_it_was_stored(container: Container) -> None:
    report = process_report("r1", collection_id="c", description_field="x")
    store(container, collections=[collection("c")], reports=[report])
    with container.reading_uow() as uow:
        assert uow.reports.get_many(frozenset({"r1"})) == {"r1": report}


def test_report_data_is_stored_byte_for_byte(container: Container) -> None:
    base = process_report("r1")
    report = type(base)(
        base.id, base.entity_type, base.name, None, None, JsonDocument.from_text(DATA_TEXT)
    )
    store(container, reports=[report])
    with container.engine().connect() as connection:
        stored = connection.execute(text("SELECT data FROM report WHERE id = 'r1'")).scalar_one()
    assert stored == DATA_TEXT
    with container.reading_uow() as uow:
        assert uow.reports.get_many(frozenset({"r1"}))["r1"].data.text == DATA_TEXT


COPY_TEXT = "tab\there, lines\nand\r\n, a back\\slash, \\N, \\., é 😀"
"""What PostgreSQL's bulk insert, a COPY, must escape: its text format gives tab, newline and
backslash a meaning, `\\N` is its NULL and `\\.` once ended the data."""


def test_text_that_copy_must_escape_comes_back_unchanged(container: Container) -> None:
    base = process_report("r1")
    data = JsonDocument.from_text('{"note":\t"\\\\N",\n"view":"\\\\."}')
    tricky = type(base)("r1", base.entity_type, COPY_TEXT, "", None, data)
    marker = type(base)("r2", base.entity_type, "\\N", "\\N", None, data)
    store(container, reports=[tricky, marker])
    with container.reading_uow() as uow:
        assert uow.reports.get_many(frozenset({"r1", "r2"})) == {"r1": tricky, "r2": marker}


def test_a_combined_report_keeps_its_children_in_order(container: Container) -> None:
    reports = [process_report("r1"), process_report("r2"), combined_report("k", ["r2", "r1"])]
    store(container, reports=reports)
    with container.reading_uow() as uow:
        assert uow.reports.get_many(frozenset({"k"}))["k"].child_ids == ("r2", "r1")
    with container.engine().connect() as connection:
        rows = connection.execute(
            text("SELECT child_id FROM combined_report_child ORDER BY position")
        ).all()
    assert [r[0] for r in rows] == ["r2", "r1"]


def test_a_dashboard_comes_back_with_every_tile_in_order(container: Container) -> None:
    board = dashboard(
        "d",
        [text_tile("Intro"), report_tile("r1", x=4, y=2), external_tile("https://x.example/")],
        filters=[{"type": "state", "data": {"defaultValues": None}}],
    )
    store(container, reports=[process_report("r1")], dashboards=[board])
    with container.reading_uow() as uow:
        assert uow.dashboards.get_many(frozenset({"d"})) == {"d": board}


def test_unknown_ids_are_simply_absent(container: Container) -> None:
    store(container, reports=[process_report("r1")], dashboards=[dashboard_of("d", "r1")])
    with container.reading_uow() as uow:
        assert set(uow.reports.get_many(frozenset({"r1", "nope"}))) == {"r1"}
        assert uow.dashboards.get_many(frozenset({"nope"})) == {}
        assert uow.reports.get_many(frozenset()) == {}


def test_ids_that_look_like_sql_or_json_are_just_ids(container: Container) -> None:
    odd = ["a'b", 'x"];--', "é/..%2F", "[1]", "null"]
    store(container, reports=[process_report(i) for i in odd])
    with container.reading_uow() as uow:
        assert set(uow.reports.get_many(frozenset(odd))) == set(odd)


def test_thousands_of_ids_are_read_in_one_statement(container: Container) -> None:
    reports = [process_report(f"r{n}") for n in range(3000)]
    store(container, reports=reports)
    with statements_run(container.engine()) as statements, container.writing_uow() as uow:
        found = uow.reports.get_many(frozenset(r.id for r in reports))
    assert len(found) == 3000
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def test_entities_are_listed_by_collection(container: Container) -> None:
    store(
        container,
        collections=[collection("c1"), collection("c2")],
        reports=[
            process_report("r1", collection_id="c1"),
            process_report("r2", collection_id="c2"),
        ],
        dashboards=[dashboard_of("d1", "r1", collection_id="c1"), dashboard_of("d2", "r2")],
    )
    with container.reading_uow() as uow:
        assert uow.reports.ids_in_collection("c1") == ["r1"]
        assert uow.dashboards.ids_in_collection("c1") == ["d1"]
        assert uow.dashboards.ids_in_collection("nope") == []


def test_entities_outside_every_collection_are_listed_under_none(container: Container) -> None:
    store(
        container,
        collections=[collection("c1")],
        reports=[process_report("r1", collection_id="c1"), process_report("r2")],
        dashboards=[dashboard_of("d1", "r1", collection_id="c1"), dashboard_of("d2", "r2")],
    )
    with container.reading_uow() as uow:
        assert uow.reports.ids_in_collection(None) == ["r2"]
        assert uow.dashboards.ids_in_collection(None) == ["d2"]


def test_collections_round_trip(container: Container) -> None:
    store(container, collections=[collection("c1", "First")])
    with container.reading_uow() as uow:
        assert uow.collections.get("c1") == collection("c1", "First")
        assert uow.collections.get("nope") is None
        assert [c.id for c in uow.collections.list_all()] == ["c1"]


def test_the_schema_refuses_a_tile_that_points_at_a_missing_report(container: Container) -> None:
    with container.writing_uow() as uow, pytest.raises(IntegrityError):
        uow.dashboards.add_all([dashboard_of("d", "missing")])


def test_leaving_without_commit_writes_nothing(container: Container) -> None:
    with container.writing_uow() as uow:
        uow.reports.add_all([process_report("r1")])
    with container.reading_uow() as uow:
        assert uow.reports.get_many(frozenset({"r1"})) == {}


def test_the_same_dashboard_object_kinds_come_back(container: Container) -> None:
    store(container, reports=[process_report("r1")], dashboards=[dashboard_of("d", "r1")])
    with container.reading_uow() as uow:
        assert isinstance(uow.dashboards.get_many(frozenset({"d"}))["d"], Dashboard)
