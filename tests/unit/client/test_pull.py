"""pull through the port, against the in-memory server: the files it writes, the manifest that
lets a push tell a whole pull from a part of one, and what it refuses."""

from __future__ import annotations

import json

import pytest

from application.ports.optimize_server import ServerRefused
from application.use_cases.pull_collection import PullCollection
from domain.collection_directory import MANIFEST, PULL_UNFINISHED, STATE
from tests.client_fakes import FakeFileTree
from tests.unit.client.scenarios import SOURCE, bpmn, pulled, source_server


def test_pulling_writes_one_file_per_entity_and_each_xml_once_per_definition_version() -> None:
    tree = FakeFileTree()
    pulled(source_server(), tree)
    assert sorted(p for p in tree.files if not p.startswith(f"{STATE}/")) == [
        "boardport.json",
        "dashboards/dashboard-d1-d1.json",
        "dashboards/dashboard-d2-d2.json",
        "definitions/invoice-1.bpmn",
        "definitions/order-all.bpmn",
        "reports/combined-c1-c1.json",
        "reports/report-loose-loose.json",
        "reports/report-r1-r1.json",
        "reports/report-r2-r2.json",
        "reports/report-r3-r3.json",
    ]
    report = json.loads(tree.files["reports/report-r1-r1.json"])
    assert report["data"]["configuration"]["xml"] is None
    assert report["configurationXmlFile"] == "definitions/invoice-1.bpmn"
    assert tree.files["definitions/invoice-1.bpmn"] == bpmn("invoice")


def test_pulled_files_are_sorted_indented_by_two_and_end_in_a_newline() -> None:
    tree = FakeFileTree()
    pulled(source_server(), tree)
    text = tree.files["dashboards/dashboard-d1-d1.json"]
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_the_manifest_names_source_collection_release_format_and_each_entitys_file() -> None:
    tree = FakeFileTree()
    pulled(source_server(), tree)
    manifest = json.loads(tree.files[MANIFEST])
    assert {k: v for k, v in manifest.items() if k != "entities"} == {
        "collection": SOURCE,
        "format": "boardport-directory/1",
        "source": "http://source.invalid",
        "sourceIndexVersions": {"combined_report": 5, "dashboard": 8, "single_process_report": 11},
    }
    assert manifest["entities"]["d1"] == "dashboards/dashboard-d1-d1.json"
    assert sorted(manifest["entities"]) == sorted(source_server().entities)


def test_pulling_an_unchanged_collection_again_writes_none_of_the_collections_files() -> None:
    server, tree = source_server(), FakeFileTree()
    pulled(server, tree)
    first = dict(tree.files)
    tree.written.clear()
    pulled(server, tree)
    assert tree.files == first
    assert [p for p in tree.written if not p.startswith(f"{STATE}/")] == []


def test_a_pull_marks_the_directory_unfinished_until_the_manifest_is_written_last() -> None:
    tree = FakeFileTree()
    pulled(source_server(), tree)
    written = [p for p in tree.written if p != f"{STATE}/.gitignore"]
    assert written[0] == PULL_UNFINISHED
    assert written[-2:] == [MANIFEST, PULL_UNFINISHED]  # the manifest, then the mark removed
    assert PULL_UNFINISHED not in tree.files
    assert tree.files[f"{STATE}/.gitignore"] == "*\n"


def test_a_pull_that_fails_midway_leaves_the_directory_marked_unfinished() -> None:
    server, tree = source_server(), FakeFileTree()
    failing = PullCollection(server, tree, batch_size=1)
    del server.entities["r3"]  # d2 still shows it: its export fails
    with pytest.raises(ServerRefused):
        failing(SOURCE)
    assert PULL_UNFINISHED in tree.files
    assert MANIFEST not in tree.files


def test_pulling_an_unknown_collection_is_a_404_and_writes_nothing() -> None:
    server, tree = source_server(collections={SOURCE}), FakeFileTree()
    with pytest.raises(ServerRefused) as refusal:
        PullCollection(server, tree)("no-such-collection")
    assert (refusal.value.status, refusal.value.error_code) == (404, "notFoundError")
    assert tree.files == {}


def test_pulling_an_empty_collection_that_exists_writes_an_empty_manifest() -> None:
    server, tree = source_server(collections={SOURCE, "empty"}), FakeFileTree()
    PullCollection(server, tree)("empty")
    assert json.loads(tree.files[MANIFEST])["entities"] == {}


def test_a_pull_removes_the_files_of_entities_that_are_gone_and_keeps_other_files() -> None:
    server, tree = source_server(), FakeFileTree()
    pulled(server, tree)
    tree.files["notes.md"] = "mine"
    del server.entities["loose"]
    del server.entities["r3"]
    server.entities["d2"].value["tiles"] = []
    pulled(server, tree)
    assert "reports/report-loose-loose.json" not in tree.files
    assert "definitions/order-all.bpmn" not in tree.files
    assert "loose" not in json.loads(tree.files[MANIFEST])["entities"]
    assert tree.files["notes.md"] == "mine"


def test_a_pull_asks_for_exports_in_batches_of_ids() -> None:
    server = source_server()
    pulled(server, FakeFileTree(), batch_size=1)
    assert server.export_batches
    assert max(server.export_batches) == 1


def test_different_xml_for_one_definition_version_gets_files_of_its_own() -> None:
    server = source_server()
    server.entities["r2"].value["data"]["configuration"]["xml"] = bpmn("invoice", "changed")
    tree = FakeFileTree()
    pulled(server, tree)
    files = [p for p in tree.files if p.startswith("definitions/invoice-1")]
    assert len(files) == 2
    r2 = json.loads(tree.files["reports/report-r2-r2.json"])
    assert tree.files[r2["configurationXmlFile"]] == bpmn("invoice", "changed")


def test_file_names_transliterate_accented_names_instead_of_dropping_letters() -> None:
    server, tree = source_server(), FakeFileTree()
    server.entities["d1"].value["name"] = "Überblick: Zeit für Rechnungen"
    pulled(server, tree)
    assert "dashboards/uberblick-zeit-fur-rechnungen-d1.json" in tree.files
