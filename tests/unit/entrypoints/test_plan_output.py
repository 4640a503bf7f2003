"""What `plan` prints (issue 21): a line per entity with its sign, type, name and id, an
update's changes below it, Terraform's closing line, colours only on a terminal without
NO_COLOR, one JSON document with --json, and the exit status 0 or 2."""

from __future__ import annotations

import io

import click
import pytest

from application.deploy.plan import DeployPlan, PlanAction, PlannedEntity
from application.ports.optimize_server import ServerKind
from domain.entity_changes import Change, EntityChanges
from entrypoints.cli.plan_output import (
    colour_wanted,
    exit_status,
    plan_document,
    plan_lines,
)

URL = "http://target.invalid"
RENAMED = PlannedEntity(
    PlanAction.UPDATE,
    "report",
    "Approvals per week",
    "t-r2",
    "r2",
    EntityChanges((Change("name", "Report r2", "Approvals per week"),)),
)
MOVED = PlannedEntity(
    PlanAction.UPDATE,
    "dashboard",
    "Overview",
    "t-d1",
    "d1",
    EntityChanges((Change("tiles[t-r2].position", {"x": 0, "y": 0}, {"x": 6, "y": 0}),)),
)
NEW = PlannedEntity(PlanAction.CREATE, "report", "Order volume", None, "r3")
HEADING = f"Plan for collection c1 at {URL}: the target's dry run of this import; nothing was "
HEADING += "written."
GONE = PlannedEntity(PlanAction.DELETE, "dashboard", "Old overview", "t-d9", "d9")


def boardport_plan(*entities: PlannedEntity, unchanged: int = 8) -> DeployPlan:
    names = {"t-r2": "Approvals per week"}
    return DeployPlan(URL, "c1", ServerKind.BOARDPORT, entities, unchanged, names)


def test_a_boardports_plan_shows_each_change_under_its_entity_and_the_counts() -> None:
    assert plan_lines(boardport_plan(NEW, RENAMED, MOVED, GONE)) == [
        HEADING,
        "",
        '+ report    "Order volume" (new; r3 in the file)',
        '~ report    "Approvals per week" t-r2',
        '    name: "Report r2" → "Approvals per week"',
        '~ dashboard "Overview" t-d1',
        '    tile "Approvals per week" moved from (0,0) to (6,0)',
        '- dashboard "Old overview" t-d9',
        "",
        "Plan: 1 to create, 2 to update, 1 to delete, 8 unchanged.",
    ]


def test_a_plan_that_changes_nothing_says_so_and_exits_0() -> None:
    plan = boardport_plan()
    assert plan_lines(plan)[-2:] == [
        "No changes: the collection already holds what the file says.",
        "Plan: 0 to create, 0 to update, 0 to delete, 8 unchanged.",
    ]
    assert exit_status(plan) == 0


def test_a_plan_that_changes_anything_exits_2() -> None:
    for entity in (NEW, RENAMED, GONE):
        assert exit_status(boardport_plan(entity)) == 2


def test_against_an_optimize_the_plan_says_that_it_is_what_optimize_would_do() -> None:
    plan = DeployPlan(URL, "c1", ServerKind.OPTIMIZE, (NEW, GONE), 0, {})
    assert plan_lines(plan)[0] == (
        f"Plan for collection c1 at {URL}, an Optimize: this is what Optimize would do. It has "
        "no dry run and no overwrite, so nothing was sent: it creates every entity of the file "
        "anew, beside any earlier copies, and --prune deletes what the previous push from here "
        "created."
    )


def test_an_update_the_target_did_not_detail_says_so() -> None:
    vague = PlannedEntity(PlanAction.UPDATE, "report", "R", "t-r", "r")
    assert (
        plan_lines(boardport_plan(vague))[3] == "    (the target did not say which fields change)"
    )


def test_colours_mark_the_signs_and_the_closing_line_only_when_asked() -> None:
    coloured = plan_lines(boardport_plan(NEW, RENAMED, GONE), colour=True)
    assert coloured[2] == click.style(
        '+ report    "Order volume" (new; r3 in the file)', fg="green"
    )
    assert coloured[3].startswith("\x1b[33m~ report")
    assert coloured[5].startswith("\x1b[31m- dashboard")
    assert coloured[-1] == click.style(
        "Plan: 1 to create, 1 to update, 1 to delete, 8 unchanged.", bold=True
    )
    assert not any("\x1b" in line for line in plan_lines(boardport_plan(NEW, RENAMED, GONE)))


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_is_wanted_on_a_terminal_unless_no_color_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert colour_wanted(Terminal())
    assert not colour_wanted(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colour_wanted(Terminal())
    monkeypatch.setenv("NO_COLOR", "")  # no-color.org: an empty value does not count
    assert colour_wanted(Terminal())


def test_the_json_document_holds_the_whole_plan_with_the_targets_changes() -> None:
    changes = EntityChanges((Change("name", "Report r2", "Approvals per week"),), omitted=3)
    renamed = PlannedEntity(PlanAction.UPDATE, "report", "A", "t-r2", "r2", changes)
    document = plan_document(boardport_plan(NEW, renamed, GONE, unchanged=5))
    assert document == {
        "target": URL,
        "collection": "c1",
        "targetKind": "boardport",
        "whatOptimizeWouldDo": False,
        "changes": True,
        "counts": {"create": 1, "update": 1, "delete": 1, "unchanged": 5},
        "entities": [
            {
                "action": "create",
                "entityType": "report",
                "name": "Order volume",
                "id": None,
                "sourceId": "r3",
            },
            {
                "action": "update",
                "entityType": "report",
                "name": "A",
                "id": "t-r2",
                "sourceId": "r2",
                "changes": [{"path": "name", "before": "Report r2", "after": "Approvals per week"}],
                "changesOmitted": 3,
            },
            {
                "action": "delete",
                "entityType": "dashboard",
                "name": "Old overview",
                "id": "t-d9",
                "sourceId": "d9",
            },
        ],
        "convertedTo": None,
        "losses": [],
    }
