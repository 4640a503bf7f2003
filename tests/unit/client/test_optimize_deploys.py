"""Deploys to a target that cannot converge (an Optimize, or --new-copies): a lost import answer
is never answered by sending the import again but by looking at the collection, and --prune
deletes the previous push's entities, recording each delete so that a rerun finishes."""

from __future__ import annotations

import json

import pytest

from application.deploy.errors import ImportAnswerLost
from application.deploy.state import ID_MAP_FILE, STATE_FILE
from application.ports.optimize_server import ServerUnreachable
from tests.builders.wire import process_report_entity
from tests.client_fakes import RecordingProgress
from tests.fake_optimize_server import FakeOptimizeServer, StoredEntity
from tests.unit.client.scenarios import (
    TARGET,
    boardport_target,
    optimize_target,
    pulled_tree,
    push,
    source_server,
)


def pushed_ids(tree_files: dict[str, str]) -> list[str]:
    (state,) = json.loads(tree_files[STATE_FILE]).values()
    return sorted(e["id"] for e in state["entities"])


def test_an_import_that_landed_but_lost_its_answer_is_found_recorded_and_not_sent_again() -> None:
    tree, target = pulled_tree(), optimize_target(lose_answers=1)
    with pytest.raises(ImportAnswerLost, match="landed, but its answer was lost") as lost:
        push(target, tree)
    assert len(target.imports) == 1
    landed = lost.value.landed
    assert landed is not None
    assert sorted(i.id for i in landed) == sorted(e["id"] for e in target.holds(TARGET))
    assert {i.source_id for i in landed} == set(source_server().entities)
    assert pushed_ids(tree.files) == sorted(i.id for i in landed)
    assert "recorded in the directory's state" in str(lost.value)


def test_a_prune_after_a_lost_answer_replaces_what_landed_leaving_one_copy() -> None:
    tree, target = pulled_tree(), optimize_target(lose_answers=1)
    with pytest.raises(ImportAnswerLost):
        push(target, tree)
    again = push(target, tree, prune=True)
    assert len(target.holds(TARGET)) == 7
    assert sorted(e["id"] for e in target.holds(TARGET)) == sorted(again.id_map().values())


def test_an_import_lost_before_it_was_read_cannot_be_told_and_says_how_to_look() -> None:
    tree, target = pulled_tree(), optimize_target(drop_imports=1)
    with pytest.raises(ImportAnswerLost, match="cannot be told") as lost:
        push(target, tree)
    assert lost.value.landed is None
    assert f"boardport list dashboards --from {target.url} --collection {TARGET}" in str(lost.value)
    assert len(target.imports) == 1
    assert STATE_FILE not in tree.files


def test_entities_that_appeared_but_do_not_match_the_file_cannot_be_told_either() -> None:
    def someone_else_imports(server: FakeOptimizeServer) -> None:
        server.entities["late"] = StoredEntity(process_report_entity("late"), TARGET)

    tree = pulled_tree()
    target = optimize_target(lose_answers=1, meanwhile=someone_else_imports)
    with pytest.raises(ImportAnswerLost, match="cannot be told") as lost:
        push(target, tree)
    assert lost.value.landed is None
    assert len(target.holds(TARGET)) == 8


def test_a_boardport_with_new_copies_is_looked_at_as_an_optimize_is() -> None:
    tree, target = pulled_tree(), boardport_target(lose_answers=1)
    with pytest.raises(ImportAnswerLost, match="landed"):
        push(target, tree, new_copies=True)
    assert len(target.imports) == 1


def test_prune_against_an_optimize_deletes_the_previous_push_after_the_import() -> None:
    tree, target = pulled_tree(), optimize_target()
    first = push(target, tree)
    second = push(target, tree, prune=True)
    assert sorted(second.deleted) == sorted(first.id_map().values())
    assert second.delivery.counts()["deleted"] == 7
    assert sorted(e["id"] for e in target.holds(TARGET)) == sorted(second.id_map().values())
    assert json.loads(tree.files[ID_MAP_FILE]) == second.id_map()


def test_prune_deletes_nothing_when_the_new_import_fails() -> None:
    tree, target = pulled_tree(), optimize_target()
    first = push(target, tree)
    target.drop_imports = 1
    with pytest.raises(ImportAnswerLost):
        push(target, tree, prune=True)
    assert sorted(e["id"] for e in target.holds(TARGET)) == sorted(first.id_map().values())


def test_a_prune_stopped_midway_is_finished_by_the_next_run() -> None:
    tree, target = pulled_tree(), optimize_target()
    push(target, tree)
    target.fail_deletes_after = 3
    with pytest.raises(ServerUnreachable):
        push(target, tree, prune=True)
    assert len(target.holds(TARGET)) == 11  # both copies, 3 of the old deleted
    (state,) = json.loads(tree.files[STATE_FILE]).values()
    assert len(state["pendingDeletes"]) == 4
    target.fail_deletes_after = None
    push(target, tree, prune=True)
    assert len(target.holds(TARGET)) == 7


def test_a_dry_run_of_prune_against_an_optimize_says_what_it_would_delete() -> None:
    tree, target = pulled_tree(), optimize_target()
    push(target, tree)
    checked = push(target, tree, prune=True, dry_run=True)
    assert checked.delivery.counts() == {
        "created": 7,
        "updated": 0,
        "unchanged": 0,
        "deleted": 7,
        "failed": 0,
    }
    assert len(target.holds(TARGET)) == 7


def test_a_repeated_push_without_prune_says_it_creates_copies_before_importing() -> None:
    tree, target, progress = pulled_tree(), optimize_target(), RecordingProgress()
    push(target, tree)
    push(target, tree, progress)
    assert any("creates new ones beside them" in n for n in progress.notes)
    assert len(target.holds(TARGET)) == 14


def test_the_state_an_earlier_boardport_kept_at_the_top_is_moved_into_its_folder_once() -> None:
    tree, target = pulled_tree(), optimize_target()
    first = push(target, tree)
    tree.files["push-state.json"] = tree.files.pop(STATE_FILE)
    old_state = json.loads(tree.files["push-state.json"])
    tree.files["push-state.json"] = json.dumps(
        {k: v["entities"] for k, v in old_state.items()}  # the earlier form: a list
    )
    tree.files["id-map.json"] = tree.files.pop(ID_MAP_FILE)
    second = push(target, tree, prune=True)
    assert sorted(second.deleted) == sorted(first.id_map().values())
    assert "push-state.json" not in tree.files
    assert "id-map.json" not in tree.files
    assert STATE_FILE in tree.files
