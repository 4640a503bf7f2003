"""plan through the port, against the in-memory server (issue 21): what a push with the same
options would do, entity by entity, made from the push's own dry run; nothing written to the
target nor to the directory's state. Against an Optimize, what Optimize would do."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from application.deploy.delivery import DeliveryOptions
from application.deploy.plan import DeployPlan, PlanAction, PlanUnavailable
from application.ports.optimize_server import ServerKind
from application.use_cases.migrate_collection import MigrateCollection
from application.use_cases.plan_migration import PlanMigration
from application.use_cases.plan_push import PlanPush
from application.use_cases.push_directory import PushDirectory, PushOptions
from domain.collection_directory import MANIFEST
from domain.entity_changes import Change
from domain.selection import Selector
from tests.client_fakes import FakeFileTree, MemorySpool, NoReleaseConverter
from tests.fake_optimize_server import FakeOptimizeServer, StoredEntity
from tests.unit.client.scenarios import (
    SOURCE,
    TARGET,
    boardport_target,
    edit,
    migrate,
    optimize_target,
    pulled_tree,
    push,
    source_server,
)


def plan(
    target: FakeOptimizeServer, tree: FakeFileTree, selector: Selector | None = None, **options: Any
) -> DeployPlan:
    pushing = PushDirectory(target, tree, MemorySpool(), converter=NoReleaseConverter())
    chosen = PushOptions(DeliveryOptions(**options), selector=selector or Selector())
    return PlanPush(pushing, target)(TARGET, chosen)


def summary(planned: DeployPlan) -> list[tuple[str, str, str, str | None]]:
    return [(e.action.value, e.entity_type, e.name, e.id) for e in planned.entities]


def deployed() -> tuple[FakeFileTree, FakeOptimizeServer, dict[str, str]]:
    """A pulled directory pushed once to a boardport, and its id map."""
    tree, target = pulled_tree(), boardport_target()
    return tree, target, push(target, tree).id_map()


def unchanged_by(target: FakeOptimizeServer, tree: FakeFileTree) -> tuple[Any, dict[str, str]]:
    return copy.deepcopy(target.entities), dict(tree.files)


def test_a_renamed_report_is_one_update_with_the_targets_change_and_nothing_is_written() -> None:
    tree, target, ids = deployed()
    edit(tree, "reports/report-r3-r3.json", name="Orders per day")
    before = unchanged_by(target, tree)
    planned = plan(target, tree)
    assert summary(planned) == [("update", "report", "Orders per day", ids["r3"])]
    changes = planned.entities[0].changes
    assert changes is not None
    assert changes.changes == (Change("name", "Report r3", "Orders per day"),)
    assert planned.unchanged == 6
    assert planned.changes_anything
    assert target.imports[-1]["request"].dry_run
    assert unchanged_by(target, tree) == before


def test_the_target_names_each_report_it_holds_for_the_tiles() -> None:
    tree, target, ids = deployed()
    assert plan(target, tree).target_names[ids["r3"]] == "Report r3"


def test_nothing_edited_plans_nothing_and_counts_every_entity_unchanged() -> None:
    tree, target, _ = deployed()
    planned = plan(target, tree)
    assert planned.entities == ()
    assert planned.unchanged == 7
    assert not planned.changes_anything


def test_a_new_file_is_a_create_named_by_its_id_in_the_file() -> None:
    tree = pulled_tree()
    planned = plan(boardport_target(), tree)
    assert {(e.action, e.id, e.source_id) for e in planned.entities} == {
        (PlanAction.CREATE, None, i) for i in source_server().entities
    }


def test_a_file_deleted_with_its_manifest_line_is_a_delete_under_prune_named_by_the_target() -> (
    None
):
    tree, target, ids = deployed()
    del tree.files["dashboards/dashboard-d2-d2.json"]
    manifest = json.loads(tree.files[MANIFEST])
    del manifest["entities"]["d2"]
    tree.files[MANIFEST] = json.dumps(manifest)
    assert summary(plan(target, tree, prune=True)) == [
        ("delete", "dashboard", "Dashboard d2", ids["d2"])
    ]
    assert summary(plan(target, tree)) == []
    assert len(target.holds(TARGET)) == 7


def test_against_an_optimize_every_entity_is_a_create_and_nothing_is_sent() -> None:
    tree, target = pulled_tree(), optimize_target()
    planned = plan(target, tree)
    assert planned.what_optimize_would_do
    assert [e.action for e in planned.entities] == [PlanAction.CREATE] * 7
    assert target.imports == []


def test_against_an_optimize_prune_deletes_the_previous_push_it_still_holds() -> None:
    tree, target = pulled_tree(), optimize_target()
    first = push(target, tree).id_map()
    gone = first["loose"]
    del target.entities[gone]  # deleted by hand since: deleting it again changes nothing
    files = dict(tree.files)
    planned = plan(target, tree, prune=True)
    assert tree.files == files
    deletes = {(e.name, e.id) for e in planned.entities if e.action is PlanAction.DELETE}
    assert deletes == {(target.entities[t].value["name"], t) for t in first.values() if t != gone}
    assert planned.counts() == {"create": 7, "update": 0, "delete": 6, "unchanged": 0}
    assert len(target.imports) == 1  # the push's, and none of the plan's


def test_an_earlier_boardport_that_cannot_check_the_file_makes_no_plan() -> None:
    tree = pulled_tree()
    target = boardport_target(server_kind=ServerKind.EARLIER_BOARDPORT)
    with pytest.raises(PlanUnavailable, match="earlier boardport"):
        plan(target, tree)
    assert target.known_definitions == []


def test_a_selector_plans_only_its_part() -> None:
    tree, target, ids = deployed()
    edit(tree, "reports/report-r3-r3.json", name="Orders per day")
    edit(tree, "reports/report-loose-loose.json", name="Loose no more")
    planned = plan(target, tree, Selector(dashboards=("d2",)))
    assert summary(planned) == [("update", "report", "Orders per day", ids["r3"])]
    assert planned.unchanged == 2  # r1 and d2


def test_a_migrate_plan_is_the_migrates_own_dry_run() -> None:
    source, target = source_server(), boardport_target()
    ids = migrate(source, target).id_map()
    source.entities["r2"] = StoredEntity(
        source.entities["r2"].value | {"name": "Approvals per week"}, SOURCE
    )
    migrating = MigrateCollection(source, target, MemorySpool(), converter=NoReleaseConverter())
    planned = PlanMigration(migrating, target)(SOURCE, TARGET)
    assert summary(planned) == [("update", "report", "Approvals per week", ids["r2"])]
    assert len(target.imports) == 2
