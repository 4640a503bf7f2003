"""Deploys that converge (PUBLIC_API.md §5): against a boardport, push and migrate import with
overwrite, the source label and an idempotency key, so that running them again, whatever
failed in between, gives the same collection."""

from __future__ import annotations

import json
from typing import Any

import pytest

from application.deploy.errors import PruneUnavailable
from application.ports.optimize_server import ServerKindUnknown, ServerUnreachable
from domain.collection_directory import MANIFEST
from domain.source_label import source_label
from tests.client_fakes import FakeFileTree, RecordingProgress, VersionRenumbering
from tests.unit.client.scenarios import (
    SOURCE,
    TARGET,
    boardport_target,
    migrate,
    optimize_target,
    pulled,
    pulled_tree,
    push,
    source_server,
)

LABEL = source_label("http://source.invalid", SOURCE)


def test_a_push_to_a_boardport_overwrites_under_the_directorys_source_with_a_key() -> None:
    tree, target = pulled_tree(), boardport_target()
    push(target, tree)
    request = target.imports[-1]["request"]
    assert (request.overwrite, request.prune, request.source) == (True, False, LABEL)
    assert request.idempotency_key.startswith("boardport-")
    assert json.loads(tree.files[MANIFEST])["source"] in request.source


def test_each_run_and_each_body_gets_a_key_of_its_own() -> None:
    tree, target = pulled_tree(), boardport_target()
    push(target, tree)
    push(target, tree)
    converter = VersionRenumbering("3.7", dict(target.index_versions))
    target.index_versions["dashboard"] = 7  # the file is refused once, then converted
    converter.versions["dashboard"] = 7
    migrate(source_server(), target, converter=converter)
    keys = [i["request"].idempotency_key for i in target.imports]
    assert len(keys) == 4
    assert len(set(keys)) == 4


@pytest.mark.parametrize(
    "sequence",
    [
        ({}, {"prune": True}, {"overwrite": True}),
        ({}, {}, {}),
        ({"prune": True}, {"overwrite": True}, {"prune": True}),
    ],
    ids=["push-replace-overwrite", "push-thrice", "prune-overwrite-prune"],
)
def test_any_sequence_of_pushes_of_one_directory_leaves_one_copy_of_each_entity(
    sequence: tuple[dict[str, Any], ...],
) -> None:
    tree, target = pulled_tree(), boardport_target()
    results = [push(target, tree, **options) for options in sequence]
    assert len(target.holds(TARGET)) == 7
    assert results[-1].delivery.counts()["unchanged"] == 7
    assert results[-1].id_map() == results[0].id_map()


def test_an_answer_lost_after_the_import_committed_is_said_and_a_rerun_converges() -> None:
    tree, target, progress = pulled_tree(), boardport_target(lose_answers=1), RecordingProgress()
    with pytest.raises(ServerUnreachable):
        push(target, tree, progress)
    assert len(target.holds(TARGET)) == 7  # it landed
    assert any("may have landed" in n and "again" in n for n in progress.notes)
    again = push(target, tree)
    assert len(target.holds(TARGET)) == 7
    assert again.delivery.counts()["unchanged"] == 7


def test_prune_deletes_what_the_source_no_longer_has_in_the_same_import() -> None:
    source, tree, target = source_server(), FakeFileTree(), boardport_target()
    pulled(source, tree)
    first = push(target, tree)
    del source.entities["loose"]
    pulled(source, tree)
    pruned = push(target, tree, prune=True)
    assert target.imports[-1]["request"].prune is True
    assert pruned.deleted == (first.id_map()["loose"],)
    assert pruned.delivery.counts()["deleted"] == 1
    assert len(target.holds(TARGET)) == 6
    assert "loose" not in pruned.id_map()


def test_prune_across_two_sources_deletes_only_what_its_own_source_deployed() -> None:
    one, two = source_server(), source_server(url="http://other-source.invalid")
    tree_one, tree_two, target = FakeFileTree(), FakeFileTree(), boardport_target()
    pulled(one, tree_one)
    pulled(two, tree_two)
    push(target, tree_one)
    push(target, tree_two)
    assert len(target.holds(TARGET)) == 14  # two sources: two sets, neither updates the other
    del one.entities["loose"]
    pulled(one, tree_one)
    pruned = push(target, tree_one, prune=True)
    assert pruned.delivery.counts()["deleted"] == 1
    assert len(target.holds(TARGET)) == 13
    assert push(target, tree_two, prune=True).delivery.counts()["deleted"] == 0


def test_a_dry_run_of_prune_lists_the_deletes_and_deletes_nothing() -> None:
    source, tree, target = source_server(), FakeFileTree(), boardport_target()
    pulled(source, tree)
    push(target, tree)
    del source.entities["loose"]
    pulled(source, tree)
    checked = push(target, tree, prune=True, dry_run=True)
    assert checked.delivery.counts()["deleted"] == 1
    assert len(target.holds(TARGET)) == 7


def test_new_copies_imports_as_optimize_does_beside_the_earlier_ones() -> None:
    tree, target = pulled_tree(), boardport_target()
    push(target, tree)
    copied = push(target, tree, new_copies=True)
    request = target.imports[-1]["request"]
    assert (request.overwrite, request.idempotency_key) == (False, None)
    assert request.source == LABEL  # the newest copy takes the origin over
    assert len(target.holds(TARGET)) == 14
    assert push(target, tree).id_map() == copied.id_map()  # and the next push updates it


def test_a_target_whose_kind_cannot_be_told_stops_the_run_before_anything_is_sent() -> None:
    tree, target = pulled_tree(), boardport_target(kind_unknown=True)
    with pytest.raises(ServerKindUnknown):
        push(target, tree)
    assert target.imports == []


def test_migrating_twice_converges_under_the_source_servers_label() -> None:
    source, target = source_server(), boardport_target()
    migrate(source, target)
    again = migrate(source, target)
    assert target.imports[-1]["request"].source == LABEL
    assert again.delivery.counts()["unchanged"] == 7
    assert len(target.holds(TARGET)) == 7


def test_migrate_prune_against_an_optimize_is_refused_before_the_export() -> None:
    source, target = source_server(), optimize_target()
    with pytest.raises(PruneUnavailable, match="push it with --prune"):
        migrate(source, target, prune=True)
    assert source.export_batches == []
    assert target.imports == []
