"""Selectors on pull, push, migrate and list, against the in-memory server (issue 21): only the
part named, closed under what an export brings; a selector that names nothing is an error
naming it; a pulled part says so in boardport.json, and a later whole pull completes it."""

from __future__ import annotations

import json

import pytest

from application.deploy.delivery import DeliveryOptions
from application.deploy.errors import DirectoryIncomplete, SelectorMatchedNothing
from application.ports.optimize_server import EntityKind
from application.use_cases.list_remote_entities import ListRemoteEntities
from application.use_cases.migrate_collection import MigrateCollection
from application.use_cases.pull_collection import PullCollection
from domain.collection_directory import MANIFEST, PULL_UNFINISHED
from domain.selection import Selector
from tests.client_fakes import FakeFileTree, MemorySpool, NoReleaseConverter
from tests.fake_optimize_server import FakeOptimizeServer
from tests.unit.client.scenarios import (
    SOURCE,
    TARGET,
    boardport_target,
    pulled,
    push,
    source_server,
)


def pull_part(
    server: FakeOptimizeServer, tree: FakeFileTree, selector: Selector, batch_size: int = 100
) -> None:
    PullCollection(server, tree, batch_size=batch_size)(SOURCE, selector)


def entity_ids(tree: FakeFileTree) -> set[str]:
    return {
        json.loads(text)["id"]
        for path, text in tree.files.items()
        if path.startswith(("reports/", "dashboards/"))
    }


def test_a_pull_of_a_dashboard_writes_it_its_reports_and_their_children_only() -> None:
    tree = FakeFileTree()
    pull_part(source_server(), tree, Selector(dashboards=("d1",)))
    assert entity_ids(tree) == {"d1", "r1", "c1", "r2"}
    manifest = json.loads(tree.files[MANIFEST])
    assert manifest["partial"] is True
    assert manifest["selectors"] == {"dashboards": ["d1"], "reports": [], "names": []}
    assert set(manifest["entities"]) == {"d1", "r1", "c1", "r2"}
    assert "definitions/order-all.bpmn" not in tree.files  # r3's is not needed


def test_a_pulled_part_is_pushed_only_with_partial_and_a_whole_pull_completes_it() -> None:
    server, tree, target = source_server(), FakeFileTree(), boardport_target()
    pull_part(server, tree, Selector(names=("report r3",)))
    assert entity_ids(tree) == {"r3"}
    with pytest.raises(DirectoryIncomplete, match="pulled with selectors"):
        push(target, tree)
    assert len(push(target, tree, partial=True).id_map()) == 1
    pulled(server, tree)
    assert "partial" not in json.loads(tree.files[MANIFEST])
    assert push(target, tree).delivery.counts()["created"] == 6


def test_a_part_pulled_into_a_whole_directory_keeps_the_rest_and_replaces_a_renamed_file() -> None:
    server, tree = source_server(), FakeFileTree()
    pulled(server, tree)
    server.entities["r3"].value["name"] = "Orders per day"
    pull_part(server, tree, Selector(reports=("r3",)))
    assert "reports/report-r3-r3.json" not in tree.files
    assert "reports/orders-per-day-r3.json" in tree.files
    assert entity_ids(tree) == set(server.entities)
    listed = json.loads(tree.files[MANIFEST])["entities"]
    assert listed["r3"] == "reports/orders-per-day-r3.json"
    assert set(listed) == set(server.entities)


def test_an_unknown_id_stops_a_pull_before_it_writes_anything() -> None:
    tree = FakeFileTree()
    with pytest.raises(SelectorMatchedNothing, match="--dashboard r1, --report d9 matched nothing"):
        pull_part(source_server(), tree, Selector(dashboards=("d1", "r1"), reports=("d9",)))
    assert tree.files == {}


def test_a_name_that_matches_nothing_leaves_the_pull_unfinished_and_says_so() -> None:
    tree = FakeFileTree()
    with pytest.raises(SelectorMatchedNothing, match=r'--name "nothing\*".*did not finish'):
        pull_part(source_server(), tree, Selector(dashboards=("d2",), names=("nothing*",)))
    assert PULL_UNFINISHED in tree.files
    assert MANIFEST not in tree.files


def test_a_name_glob_exports_each_dashboard_once_and_only_the_reports_none_brought() -> None:
    server = source_server()
    pull_part(server, FakeFileTree(), Selector(names=("*loose*",)), batch_size=1)
    # d1 and d2, one per batch; then only "loose", which neither dashboard brought
    assert server.export_batches == [1, 1, 1]


def test_a_push_of_a_part_sends_only_it_and_keeps_the_earlier_push_in_the_state() -> None:
    tree, target = FakeFileTree(), boardport_target()
    pulled(source_server(), tree)
    push(target, tree, selector=Selector(reports=("loose",)))
    assert [e["id"] for e in target.imports[-1]["file"]] == ["loose"]
    result = push(target, tree, selector=Selector(dashboards=("d2",)))
    assert {e["id"] for e in target.imports[-1]["file"]} == {"d2", "r1", "r3"}
    assert result.delivery.counts()["created"] == 3
    state = json.loads(tree.files[".boardport/push-state.json"])
    assert len(next(iter(state.values()))["entities"]) == 4


def test_a_push_selector_that_names_nothing_in_the_directory_sends_nothing() -> None:
    tree, target = FakeFileTree(), boardport_target()
    pulled(source_server(), tree)
    with pytest.raises(SelectorMatchedNothing, match='--name "x" matched nothing in the dir'):
        push(target, tree, selector=Selector(names=("x",)))
    assert target.imports == []


def test_a_migrate_of_a_part_imports_only_it() -> None:
    source, target = source_server(), boardport_target()
    MigrateCollection(source, target, MemorySpool(), converter=NoReleaseConverter())(
        SOURCE, TARGET, DeliveryOptions(), Selector(names=("DASHBOARD D2",))
    )
    assert {e["id"] for e in target.imports[-1]["file"]} == {"d2", "r1", "r3"}


def test_a_migrate_selector_that_names_nothing_imports_nothing() -> None:
    source, target = source_server(), boardport_target()
    with pytest.raises(SelectorMatchedNothing, match="--report nope matched nothing in coll"):
        MigrateCollection(source, target, MemorySpool(), converter=NoReleaseConverter())(
            SOURCE, TARGET, DeliveryOptions(), Selector(reports=("nope",))
        )
    assert target.imports == []


def test_list_shows_what_the_selectors_take_of_the_kind_asked_for() -> None:
    listing = ListRemoteEntities(source_server())
    reports = listing(EntityKind.REPORT, SOURCE, Selector(dashboards=("d1",)))
    assert [r.id for r in reports] == ["r1", "r2", "c1"]
    dashboards = listing(EntityKind.DASHBOARD, SOURCE, Selector(names=("dashboard d*",)))
    assert [d.id for d in dashboards] == ["d1", "d2"]
    with pytest.raises(SelectorMatchedNothing):
        listing(EntityKind.DASHBOARD, SOURCE, Selector(names=("none",)))
