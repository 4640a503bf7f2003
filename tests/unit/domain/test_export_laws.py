"""The export rules stated as laws, for any world of stored dashboards and reports."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Mapping
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import NotFound
from domain.export import ExportPlan, plan_dashboard_export, plan_report_export, unique_in_order
from domain.report import Report
from tests.exporting import export_over, exported
from tests.fakes import FakeUnitOfWork
from tests.strategies import World, ids, worlds

V = TypeVar("V")


def find_in(store: Mapping[str, V]) -> Callable[[frozenset[str]], Mapping[str, V]]:
    return lambda wanted: {i: store[i] for i in wanted if i in store}


def run(world: World, requested: list[str]) -> ExportPlan[Report]:
    """The plan of a request, its IDs a set as every request makes them."""
    return plan_dashboard_export(
        unique_in_order(requested), find_in(world.dashboards), find_in(world.reports)
    )


@st.composite
def world_and_request(
    draw: st.DrawFn, max_reports: int = 12, max_dashboards: int = 8
) -> tuple[World, list[str]]:
    world = draw(worlds(max_reports=max_reports, max_dashboards=max_dashboards))
    known = list(world.dashboards)
    requested = draw(st.lists(st.sampled_from(known), max_size=10)) if known else []
    return world, requested


@given(world_and_request())
def test_the_export_is_closed_under_references(case: tuple[World, list[str]]) -> None:
    world, requested = case
    result = run(world, requested)
    exported = {r.id for r in result.reports}
    for board in result.dashboards:
        assert set(board.report_ids()) <= exported
    for report in result.reports:
        assert set(report.child_ids) <= exported


@given(world_and_request())
def test_the_export_holds_exactly_what_is_reachable(case: tuple[World, list[str]]) -> None:
    world, requested = case
    reachable: set[str] = set()
    frontier = [r for d in requested for r in world.dashboards[d].report_ids()]
    while frontier:
        report_id = frontier.pop()
        if report_id not in reachable:
            reachable.add(report_id)
            frontier.extend(world.reports[report_id].child_ids)
    result = run(world, requested)
    assert {r.id for r in result.reports} == reachable
    assert {d.id for d in result.dashboards} == set(requested)


@given(world_and_request())
def test_every_entity_appears_once(case: tuple[World, list[str]]) -> None:
    result = run(*case)
    report_ids = [r.id for r in result.reports]
    dashboard_ids = [d.id for d in result.dashboards]
    assert len(report_ids) == len(set(report_ids))
    assert len(dashboard_ids) == len(set(dashboard_ids))


def http_export(world: World, requested: list[str]) -> list[dict[str, object]]:
    """The export as the HTTP path answers it: the blocks of the use case's stream, written by
    the wire writer, as the export port passes them on."""
    uow = FakeUnitOfWork(reports=world.reports.values(), dashboards=world.dashboards.values())
    entities: list[dict[str, object]] = json.loads(
        exported(export_over(uow), "dashboards", requested)
    )
    return entities


@given(world_and_request())
def test_reports_come_before_dashboards(case: tuple[World, list[str]]) -> None:
    world, requested = case
    answered = http_export(world, requested)
    kinds = [e["exportEntityType"] == "dashboard" for e in answered]
    assert kinds == sorted(kinds)
    assert [e["id"] for e in answered if e["exportEntityType"] == "dashboard"] == list(
        dict.fromkeys(requested)
    )
    plan = run(world, requested)
    planned = [*(r.id for r in plan.reports), *(d.id for d in plan.dashboards)]
    assert [e["id"] for e in answered] == planned


@settings(max_examples=5, deadline=None)
@given(world_and_request(max_reports=300, max_dashboards=100))
def test_a_large_world_exports_closed_ordered_and_once(case: tuple[World, list[str]]) -> None:
    world, requested = case
    answered = http_export(world, requested)
    kinds = [e["exportEntityType"] == "dashboard" for e in answered]
    assert kinds == sorted(kinds)
    exported = [e["id"] for e in answered]
    assert len(exported) == len(set(exported))
    reports = {r.id for r in run(world, requested).reports}
    assert {i for i, dashboard in zip(exported, kinds, strict=True) if not dashboard} == reports


@given(world_and_request(), st.data())
def test_naming_an_id_again_changes_nothing(
    case: tuple[World, list[str]], data: st.DataObject
) -> None:
    world, requested = case
    repeated = requested + data.draw(st.lists(st.sampled_from(requested))) if requested else []
    assert run(world, repeated) == run(world, requested)


@given(world_and_request(), st.randoms(use_true_random=False))
def test_request_order_changes_only_the_order(
    case: tuple[World, list[str]], rnd: random.Random
) -> None:
    world, requested = case
    shuffled = list(requested)
    rnd.shuffle(shuffled)
    first, second = run(world, requested), run(world, shuffled)
    assert {r.id for r in first.reports} == {r.id for r in second.reports}
    assert [d.id for d in second.dashboards] == list(dict.fromkeys(shuffled))


@given(world_and_request(), st.lists(ids.map(lambda i: "unknown-" + i), min_size=1, max_size=4))
def test_any_unknown_id_is_not_found_and_nothing_is_returned(
    case: tuple[World, list[str]], unknown: list[str]
) -> None:
    world, requested = case
    mixed = requested + unknown
    reports_looked_up: list[frozenset[str]] = []

    def find_reports(wanted: frozenset[str]) -> Mapping[str, Report]:
        reports_looked_up.append(wanted)
        return find_in(world.reports)(wanted)

    with pytest.raises(NotFound) as caught:
        plan_dashboard_export(unique_in_order(mixed), find_in(world.dashboards), find_reports)
    assert list(caught.value.ids) == list(dict.fromkeys(unknown))
    assert reports_looked_up == []


@given(worlds(), st.data())
def test_report_export_is_closed_and_keeps_request_order(world: World, data: st.DataObject) -> None:
    known = list(world.reports)
    requested = data.draw(st.lists(st.sampled_from(known), max_size=8)) if known else []
    result = plan_report_export(unique_in_order(requested), find_in(world.reports))
    exported = [r.id for r in result.reports]
    assert len(exported) == len(set(exported))
    assert set(requested) <= set(exported)
    for report in result.reports:
        assert set(report.child_ids) <= set(exported)
    # A requested report that is no other report's child sits where the request put it.
    children = {c for r in result.reports for c in r.child_ids}
    independent = [i for i in dict.fromkeys(requested) if i not in children]
    assert [i for i in exported if i in independent] == independent
