"""push through the port, against the in-memory server: what it sends, what it prepares, what
it refuses before sending anything, and what it keeps in the directory's state."""

from __future__ import annotations

import json

import pytest

from application.deploy.errors import DirectoryIncomplete
from application.deploy.state import ID_MAP_FILE, STATE_FILE
from application.ports.optimize_server import ServerKind, ServerRefused
from domain.collection_directory import MANIFEST, PULL_UNFINISHED
from domain.errors import ImportFileInvalid
from tests.client_fakes import FakeFileTree, RecordingProgress
from tests.unit.client.scenarios import (
    TARGET,
    boardport_target,
    bpmn,
    edit,
    optimize_target,
    pulled,
    pulled_tree,
    push,
    source_server,
    without_ids,
)


def test_pull_then_push_gives_the_target_the_same_entities_modulo_ids() -> None:
    server, tree, target = source_server(), FakeFileTree(), boardport_target()
    pulled(server, tree)
    result = push(target, tree)
    assert without_ids(target.holds(TARGET)) == without_ids(
        [server._exported(i) for i in server.entities]
    )
    assert result.delivery.counts() == {
        "created": 7,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "failed": 0,
    }
    assert set(result.id_map()) == set(server.entities)


def test_a_boardports_own_import_registers_the_definitions_with_their_xml_and_the_scope() -> None:
    tree, target = pulled_tree(), boardport_target()
    push(target, tree)
    assert target.imports[-1]["request"].prepare is True
    assert {(d.key, d.version, d.xml) for d in target.known_definitions} == {
        ("invoice", "1", bpmn("invoice")),
        ("order", "1", bpmn("order")),
    }
    assert {e.key for e in target.scopes[TARGET]} == {"invoice", "order"}


def test_an_earlier_boardport_is_prepared_by_calls_of_their_own_before_the_import() -> None:
    tree = pulled_tree()
    target = boardport_target(server_kind=ServerKind.EARLIER_BOARDPORT)
    push(target, tree)
    assert target.imports[-1]["request"].prepare is False
    assert {d.key for d in target.known_definitions} == {"invoice", "order"}
    assert len(target.holds(TARGET)) == 7


def test_without_prepare_a_push_to_an_unprepared_boardport_fails_and_imports_nothing() -> None:
    tree, target = pulled_tree(), boardport_target()
    with pytest.raises(ServerRefused) as refusal:
        push(target, tree, prepare=False)
    assert refusal.value.error_code == "importDefinitionDoesNotExist"
    assert target.holds(TARGET) == []
    assert STATE_FILE not in tree.files


def test_a_push_to_an_optimize_names_the_missing_definitions_and_imports_nothing() -> None:
    tree, target = pulled_tree(), optimize_target(check_definitions=True)
    with pytest.raises(ServerRefused) as refusal:
        push(target, tree)
    assert refusal.value.extra["definitions"] == [
        {"type": "process", "key": "invoice"},
        {"type": "process", "key": "order"},
    ]
    assert target.holds(TARGET) == []


def test_editing_one_file_and_pushing_again_updates_only_that_entity() -> None:
    tree, target = pulled_tree(), boardport_target()
    first = push(target, tree)
    edit(tree, "reports/report-r3-r3.json", name="Orders per day")
    second = push(target, tree)
    assert second.delivery.counts() == {
        "created": 0,
        "updated": 1,
        "unchanged": 6,
        "deleted": 0,
        "failed": 0,
    }
    assert second.id_map() == first.id_map()
    assert len(target.holds(TARGET)) == 7


def test_a_dry_run_on_a_boardport_takes_the_preparation_into_account_and_writes_nothing() -> None:
    tree, target = pulled_tree(), boardport_target()
    result = push(target, tree, dry_run=True)
    request = target.imports[-1]["request"]
    assert (request.dry_run, request.prepare) == (True, True)
    assert result.delivery.counts()["created"] == 7  # where a dry run without it was refused
    assert target.holds(TARGET) == []
    assert target.known_definitions == []
    assert STATE_FILE not in tree.files


def test_a_dry_run_against_an_optimize_sends_nothing_and_says_every_entity_is_created() -> None:
    tree, target = pulled_tree(), optimize_target()
    result = push(target, tree, dry_run=True)
    assert target.imports == []
    assert not result.delivery.sent
    assert result.delivery.counts()["created"] == 7


def test_a_report_file_naming_a_missing_definition_file_is_refused_by_name() -> None:
    tree, target = pulled_tree(), boardport_target()
    del tree.files["definitions/order-all.bpmn"]
    with pytest.raises(ImportFileInvalid, match=r"report-r3-r3\.json names definitions/order-all"):
        push(target, tree)
    assert target.imports == []


def test_a_report_file_may_not_point_outside_the_definitions_folder() -> None:
    tree = pulled_tree()
    edit(tree, "reports/report-r3-r3.json", configurationXmlFile="definitions/../../etc/passwd")
    with pytest.raises(ImportFileInvalid, match="must name a file in definitions/"):
        push(boardport_target(), tree)


def test_the_same_entity_in_two_files_is_imported_once() -> None:
    tree, target = pulled_tree(), boardport_target()
    tree.files["reports/a-copy-of-r3.json"] = tree.files["reports/report-r3-r3.json"]
    push(target, tree)
    assert [e["id"] for e in target.imports[-1]["file"]].count("r3") == 1
    assert len(target.holds(TARGET)) == 7


def test_an_optimize_answering_in_file_order_gives_the_id_map_by_position() -> None:
    tree, target = pulled_tree(), optimize_target()
    result = push(target, tree)
    assert {s: target.entities[t].source_id for s, t in result.id_map().items()} == {
        s: s for s in source_server().entities
    }


def test_an_optimize_answering_in_another_order_gives_no_id_map_rather_than_a_wrong_one() -> None:
    tree, target = pulled_tree(), optimize_target(dashboards_first_in_answers=True)
    assert push(target, tree).id_map() == {}


def test_overwrite_asked_of_an_optimize_is_not_sent_and_the_user_is_told() -> None:
    tree, progress, target = pulled_tree(), RecordingProgress(), optimize_target()
    result = push(target, tree, progress, overwrite=True)
    assert result.delivery.counts()["created"] == 7
    assert any("Optimize has no overwrite" in n for n in progress.notes)


def test_the_id_map_and_the_state_are_kept_in_the_directorys_own_ignored_folder() -> None:
    tree, target = pulled_tree(), boardport_target()
    result = push(target, tree)
    assert json.loads(tree.files[ID_MAP_FILE]) == result.id_map()
    assert tree.files[".boardport/.gitignore"] == "*\n"
    assert STATE_FILE.startswith(".boardport/")
    assert "id-map.json" not in tree.files
    assert "push-state.json" not in tree.files


# -- a directory that is not the whole of a pull ----------------------------------------------


def test_a_directory_whose_pull_did_not_finish_is_refused_before_anything_is_sent() -> None:
    tree, target = pulled_tree(), boardport_target()
    tree.files[PULL_UNFINISHED] = "a pull began\n"
    with pytest.raises(DirectoryIncomplete, match="the last pull into it did not finish"):
        push(target, tree)
    assert target.imports == []


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("remove", "1 file(s) of boardport.json are missing: reports/report-loose-loose.json"),
        ("add", "1 file(s) are not in boardport.json: reports/added-by-hand.json"),
        ("no manifest", "it has no boardport.json"),
        ("earlier manifest", "does not list the entities"),
    ],
)
def test_a_directory_edited_outside_its_manifest_is_refused_unless_partial(
    change: str, said: str
) -> None:
    tree, target = pulled_tree(), boardport_target()
    if change == "remove":
        del tree.files["reports/report-loose-loose.json"]
    elif change == "add":
        report = json.loads(tree.files["reports/report-r3-r3.json"])
        tree.files["reports/added-by-hand.json"] = json.dumps({**report, "id": "by-hand"})
    elif change == "no manifest":
        del tree.files[MANIFEST]
    else:
        manifest = json.loads(tree.files[MANIFEST])
        del manifest["entities"]
        tree.files[MANIFEST] = json.dumps(manifest)
    with pytest.raises(DirectoryIncomplete) as refused:
        push(target, tree)
    assert said in str(refused.value)
    assert "--partial" in str(refused.value)
    assert target.imports == []
    progress = RecordingProgress()
    push(target, tree, progress, partial=True)
    assert target.imports
    assert any(said in note for note in progress.notes)


def test_an_entity_file_edited_in_place_is_pushed_without_partial() -> None:
    tree, target = pulled_tree(), boardport_target()
    edit(tree, "dashboards/dashboard-d1-d1.json", name="Renamed in Git")
    push(target, tree)
    assert "Renamed in Git" in {e["name"] for e in target.holds(TARGET)}
