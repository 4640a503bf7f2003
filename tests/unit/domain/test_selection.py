"""Selectors (issue 21): which entities of a collection a --dashboard, --report or --name takes,
closed under what an export closes over, and which selectors took nothing."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from domain.selection import Outline, Selection, Selector
from tests.builders.wire import (
    combined_report_entity,
    dashboard_entity,
    process_report_entity,
    text_tile_json,
)


def collection() -> list[Any]:
    """Two dashboards sharing r1; a combined report c1 of r1 and r2 on d1; a loose report."""
    return [
        process_report_entity("r1", name="Invoice count"),
        process_report_entity("r2", name="Approval Time"),
        process_report_entity("r3", name="Order volume"),
        combined_report_entity("c1", ["r1", "r2"]),
        process_report_entity("loose", name="Loose ends"),
        dashboard_entity("d1", ["r1", "c1"], extra_tiles=[text_tile_json()]),
        dashboard_entity("d2", ["r1", "r3"]),
    ]


def outlines() -> list[Outline]:
    found = [Outline.of(e) for e in collection()]
    return [o for o in found if o is not None]


def selection(selector: Selector) -> Selection:
    every = outlines()
    dashboards = [o.id for o in every if o.kind == "dashboard"]
    return Selection(selector, dashboards, [o.id for o in every if o.kind == "report"])


def test_a_dashboard_brings_its_reports_and_a_combined_report_its_children() -> None:
    chosen = selection(Selector(dashboards=("d1",)))
    assert chosen.take(outlines()) == {"d1", "r1", "c1", "r2"}
    assert chosen.unmatched() == []


def test_a_report_brings_only_itself_and_a_combined_report_its_children() -> None:
    assert selection(Selector(reports=("r3",))).take(outlines()) == {"r3"}
    assert selection(Selector(reports=("c1",))).take(outlines()) == {"c1", "r1", "r2"}


def test_a_name_glob_matches_dashboards_and_reports_whatever_their_case() -> None:
    assert selection(Selector(names=("approval*",))).take(outlines()) == {"r2"}
    assert selection(Selector(names=("DASHBOARD D2",))).take(outlines()) == {"d2", "r1", "r3"}


def test_the_selectors_add_up() -> None:
    chosen = selection(Selector(dashboards=("d2",), reports=("loose",), names=("*time",)))
    assert chosen.take(outlines()) == {"d2", "r1", "r3", "loose", "r2"}


def test_each_selector_that_took_nothing_is_named_as_it_was_written() -> None:
    selector = Selector(dashboards=("d1", "d9"), reports=("d2",), names=("Nothing*", "loose*"))
    chosen = selection(selector)
    assert chosen.absent() == ["--dashboard d9", "--report d2"]
    chosen.take(outlines())
    assert chosen.unmatched() == ["--dashboard d9", "--report d2", '--name "Nothing*"']


def test_an_id_of_another_kind_or_collection_is_not_taken_even_when_an_answer_holds_it() -> None:
    """A report id given as --dashboard names no dashboard of the collection."""
    chosen = Selection(Selector(dashboards=("r1",)), ["d1"], ["r1"])
    assert chosen.take(outlines()) == set()


def test_what_is_brought_is_looked_for_only_in_the_group_at_hand() -> None:
    """An export answer holds whatever its entities bring: a group without r2 keeps d1's
    others, and the walk does not fail on the missing one."""
    chosen = selection(Selector(dashboards=("d1",)))
    group = [o for o in outlines() if o.id != "r2"]
    assert chosen.take(group) == {"d1", "r1", "c1"}
    assert chosen.kept == {"d1", "r1", "c1"}


def test_the_outline_of_what_is_not_an_export_entity_is_none() -> None:
    assert Outline.of(["not", "an", "entity"]) is None
    assert Outline.of({"id": "x", "exportEntityType": "private_report"}) is None
    assert Outline.of({"exportEntityType": "dashboard"}) is None


@given(st.sets(st.sampled_from(["d1", "d2", "r1", "r2", "r3", "c1", "loose"])))
def test_what_a_selection_keeps_is_closed_under_what_its_entities_bring(ids: set[str]) -> None:
    dashboards = tuple(i for i in ids if i.startswith("d"))
    chosen = selection(Selector(dashboards=dashboards, reports=tuple(ids - set(dashboards))))
    kept = chosen.take(outlines())
    assert ids <= kept
    assert all(set(o.brings) <= kept for o in outlines() if o.id in kept)
