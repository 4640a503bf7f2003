"""pull, push, migrate and list, through the port, against an in-memory Optimize-contract
server: state is asserted, not calls."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from application.delivery import ConversionLoses, DeliveryOptions
from application.outgoing_file import PIECE, OutgoingFile
from application.ports.optimize_server import EntityKind, ExportedBatch, ServerRefused
from application.ports.progress import Progress, SilentProgress
from application.use_cases.list_remote_entities import ListRemoteEntities
from application.use_cases.migrate_collection import MigrateCollection
from application.use_cases.pull_collection import PullCollection
from application.use_cases.push_directory import (
    ID_MAP_FILE,
    STATE_FILE,
    PushDirectory,
    PushOptions,
)
from domain.definition import Definition
from domain.errors import ImportFileInvalid
from domain.json_document import JsonValue
from tests.builders.wire import (
    combined_report_entity,
    dashboard_entity,
    process_report_entity,
    text_tile_json,
)
from tests.client_fakes import (
    FakeFileTree,
    MemorySpool,
    NoReleaseConverter,
    RecordingProgress,
    VersionRenumbering,
)
from tests.fake_optimize_server import FakeOptimizeServer, StoredEntity

SOURCE = "source-collection"
TARGET = "target-collection"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def bpmn(key: str, label: str = "") -> str:
    return (
        f'<bpmn:definitions xmlns:bpmn="{BPMN}"><bpmn:process id="{key}" name="{key.title()}"'
        f' isExecutable="true"/><!--{label}--></bpmn:definitions>'
    )


def source_server(**options: Any) -> FakeOptimizeServer:
    """A collection of two dashboards sharing a report, a combined report, and a report on no
    dashboard; two definitions, the XML of invoice carried by three reports."""
    server = FakeOptimizeServer(url="http://source.invalid", **options)
    entities = [
        process_report_entity("r1", xml=bpmn("invoice"), versions=("1",)),
        process_report_entity("r2", xml=bpmn("invoice"), versions=("1",)),
        process_report_entity("r3", key="order", xml=bpmn("order")),
        combined_report_entity("c1", ["r1", "r2"]),
        process_report_entity("loose", xml=bpmn("invoice"), versions=("1",)),
        dashboard_entity("d1", ["r1", "c1"], extra_tiles=[text_tile_json()]),
        dashboard_entity("d2", ["r1", "r3"], extra_tiles=[text_tile_json()]),
    ]
    for entity in entities:
        server.entities[str(entity["id"])] = StoredEntity(entity, SOURCE)
    return server


def boardport_target(**options: Any) -> FakeOptimizeServer:
    return FakeOptimizeServer(url="http://target.invalid", boardport=True, **options)


def pulled(server: FakeOptimizeServer, tree: FakeFileTree, batch_size: int = 100) -> None:
    PullCollection(server, tree, batch_size=batch_size)(SOURCE)


def push(
    target: FakeOptimizeServer,
    tree: FakeFileTree,
    progress: RecordingProgress | None = None,
    **options: Any,
) -> Any:
    replace = options.pop("replace", False)
    return PushDirectory(
        target, tree, MemorySpool(), converter=NoReleaseConverter(), progress=progress
    )(TARGET, PushOptions(DeliveryOptions(**options), replace=replace))


def without_ids(entities: list[dict[str, Any]]) -> list[str]:
    """Each entity's content with every id, and the ids it refers to, taken out."""

    def scrub(value: dict[str, Any]) -> str:
        value = json.loads(json.dumps(value))
        for key in ("id", "collectionId", "sourceIndexVersion"):
            value.pop(key, None)
        for tile in value.get("tiles", []):
            tile["id"] = "report" if tile["id"] else ""
        for child in value.get("data", {}).get("reports", []):
            child["id"] = "child"
        return json.dumps(value, sort_keys=True)

    return sorted(scrub(e) for e in entities)


# -- pull -------------------------------------------------------------------------------------


def test_pulling_writes_one_file_per_entity_and_each_xml_once_per_definition_version() -> None:
    tree = FakeFileTree()
    pulled(source_server(), tree)
    assert sorted(tree.files) == [
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


def test_the_manifest_names_source_collection_and_release_format() -> None:
    tree = FakeFileTree()
    pulled(source_server(), tree)
    assert json.loads(tree.files["boardport.json"]) == {
        "collection": SOURCE,
        "format": "boardport-directory/1",
        "source": "http://source.invalid",
        "sourceIndexVersions": {"combined_report": 5, "dashboard": 8, "single_process_report": 11},
    }


def test_pulling_an_unchanged_collection_again_writes_nothing() -> None:
    server, tree = source_server(), FakeFileTree()
    pulled(server, tree)
    first, writes = dict(tree.files), tree.writes
    pulled(server, tree)
    assert tree.files == first
    assert tree.writes == writes


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


# -- push -------------------------------------------------------------------------------------


def test_pull_then_push_gives_the_target_the_same_entities_modulo_ids() -> None:
    server, tree, target = source_server(), FakeFileTree(), boardport_target()
    pulled(server, tree)
    result = push(target, tree)
    assert without_ids(target.holds(TARGET)) == without_ids(
        [server._exported(i) for i in server.entities]
    )
    assert result.delivery.counts() == {"created": 7, "updated": 0, "unchanged": 0, "failed": 0}
    assert set(result.id_map()) == set(server.entities)


def test_a_push_to_a_boardport_registers_definitions_with_their_xml_and_widens_the_scope() -> None:
    tree, target = FakeFileTree(), boardport_target()
    pulled(source_server(), tree)
    push(target, tree)
    assert {(d.key, d.version, d.xml) for d in target.known_definitions} == {
        ("invoice", "1", bpmn("invoice")),
        ("order", "1", bpmn("order")),
    }
    assert {e.key for e in target.scopes[TARGET]} == {"invoice", "order"}


def test_without_prepare_a_push_to_an_unprepared_boardport_fails_and_imports_nothing() -> None:
    tree, target = FakeFileTree(), boardport_target()
    pulled(source_server(), tree)
    with pytest.raises(ServerRefused) as refusal:
        push(target, tree, prepare=False)
    assert refusal.value.error_code == "importDefinitionDoesNotExist"
    assert target.holds(TARGET) == []
    assert STATE_FILE not in tree.files


def test_a_push_to_an_optimize_names_the_missing_definitions_and_imports_nothing() -> None:
    tree, target = FakeFileTree(), FakeOptimizeServer(boardport=False)
    pulled(source_server(), tree)
    with pytest.raises(ServerRefused) as refusal:
        push(target, tree)
    assert refusal.value.extra["definitions"] == [
        {"type": "process", "key": "invoice"},
        {"type": "process", "key": "order"},
    ]
    assert target.holds(TARGET) == []


def test_editing_one_file_and_pushing_with_overwrite_updates_only_that_entity() -> None:
    tree, target = FakeFileTree(), boardport_target()
    pulled(source_server(), tree)
    first = push(target, tree, overwrite=True)
    path = "reports/report-r3-r3.json"
    edited = json.loads(tree.files[path])
    edited["name"] = "Orders per day"
    tree.files[path] = json.dumps(edited)
    second = push(target, tree, overwrite=True)
    assert second.delivery.counts() == {"created": 0, "updated": 1, "unchanged": 6, "failed": 0}
    assert second.id_map() == first.id_map()
    assert len(target.holds(TARGET)) == 7


def test_a_repeated_push_without_overwrite_says_it_creates_duplicates_before_importing() -> None:
    tree, target, progress = (
        FakeFileTree(),
        FakeOptimizeServer(boardport=False),
        RecordingProgress(),
    )
    target.check_definitions = False
    pulled(source_server(), tree)
    push(target, tree)
    push(target, tree, progress)
    assert any("creates new ones beside them" in n for n in progress.notes)
    assert len(target.holds(TARGET)) == 14


def test_replace_deletes_what_the_previous_push_created_after_the_new_import() -> None:
    tree, target = FakeFileTree(), FakeOptimizeServer(boardport=False, check_definitions=False)
    pulled(source_server(), tree)
    first = push(target, tree)
    second = push(target, tree, replace=True)
    assert sorted(second.deleted) == sorted(first.id_map().values())
    assert sorted(e["id"] for e in target.holds(TARGET)) == sorted(second.id_map().values())
    # Which collection of which target a state is kept for: test_push_replace_scope.py.
    assert json.loads(tree.files[ID_MAP_FILE]) == second.id_map()


def test_replace_deletes_nothing_when_the_new_import_fails() -> None:
    tree, target = FakeFileTree(), FakeOptimizeServer(boardport=False, check_definitions=False)
    pulled(source_server(), tree)
    first = push(target, tree)
    target.refuse_imports.append(ServerRefused(500, "serverError", "boom"))
    with pytest.raises(ServerRefused):
        push(target, tree, replace=True)
    assert sorted(e["id"] for e in target.holds(TARGET)) == sorted(first.id_map().values())


def test_a_dry_run_on_a_boardport_checks_and_writes_nothing() -> None:
    tree, target = FakeFileTree(), boardport_target()
    pulled(source_server(), tree)
    push(target, tree)
    result = push(target, tree, dry_run=True, overwrite=True)
    assert target.imports[-1]["dryRun"] is True
    assert len(target.holds(TARGET)) == 7
    assert result.delivery.dry_run


def test_a_dry_run_against_an_optimize_sends_nothing() -> None:
    tree, target = FakeFileTree(), FakeOptimizeServer(boardport=False)
    pulled(source_server(), tree)
    result = push(target, tree, dry_run=True)
    assert target.imports == []
    assert not result.delivery.sent


def test_a_report_file_naming_a_missing_definition_file_is_refused_by_name() -> None:
    tree, target = FakeFileTree(), boardport_target()
    pulled(source_server(), tree)
    del tree.files["definitions/order-all.bpmn"]
    with pytest.raises(ImportFileInvalid, match=r"report-r3-r3\.json names definitions/order-all"):
        push(target, tree)
    assert target.imports == []


def test_a_report_file_may_not_point_outside_the_definitions_folder() -> None:
    tree = FakeFileTree()
    pulled(source_server(), tree)
    report = json.loads(tree.files["reports/report-r3-r3.json"])
    report["configurationXmlFile"] = "definitions/../../etc/passwd"
    tree.files["reports/report-r3-r3.json"] = json.dumps(report)
    with pytest.raises(ImportFileInvalid, match="must name a file in definitions/"):
        push(boardport_target(), tree)


def test_the_same_entity_in_two_files_is_imported_once() -> None:
    tree, target = FakeFileTree(), boardport_target()
    pulled(source_server(), tree)
    tree.files["reports/a-copy-of-r3.json"] = tree.files["reports/report-r3-r3.json"]
    push(target, tree)
    assert [e["id"] for e in target.imports[-1]["file"]].count("r3") == 1
    assert len(target.holds(TARGET)) == 7


def test_replace_with_overwrite_keeps_what_the_new_push_updated() -> None:
    tree, target = FakeFileTree(), boardport_target()
    pulled(source_server(), tree)
    first = push(target, tree, overwrite=True)
    second = push(target, tree, overwrite=True, replace=True)
    assert second.deleted == ()
    assert sorted(e["id"] for e in target.holds(TARGET)) == sorted(first.id_map().values())


def test_overwrite_against_an_optimize_is_not_asked_for_and_the_user_is_told() -> None:
    tree, progress = FakeFileTree(), RecordingProgress()
    target = FakeOptimizeServer(boardport=False, check_definitions=False)
    pulled(source_server(), tree)
    result = push(target, tree, progress, overwrite=True)
    assert result.delivery.counts()["created"] == 7
    assert any("Optimize has no overwrite" in n for n in progress.notes)


def test_an_optimize_answering_in_file_order_gives_the_id_map_by_position() -> None:
    tree, target = FakeFileTree(), FakeOptimizeServer(boardport=False, check_definitions=False)
    pulled(source_server(), tree)
    result = push(target, tree)
    assert {s: target.entities[t].source_id for s, t in result.id_map().items()} == {
        s: s for s in source_server().entities
    }


def test_an_optimize_answering_in_another_order_gives_no_id_map_rather_than_a_wrong_one() -> None:
    tree = FakeFileTree()
    target = FakeOptimizeServer(
        boardport=False, check_definitions=False, dashboards_first_in_answers=True
    )
    pulled(source_server(), tree)
    assert push(target, tree).id_map() == {}


# -- migrate ----------------------------------------------------------------------------------


def migrate(
    source: FakeOptimizeServer,
    target: FakeOptimizeServer,
    batch_size: int = 100,
    converter: Any = None,
    **options: Any,
) -> Any:
    return MigrateCollection(
        source,
        target,
        MemorySpool(),
        converter=converter or NoReleaseConverter(),
        batch_size=batch_size,
    )(SOURCE, TARGET, DeliveryOptions(**options))


def test_migrating_gives_the_target_the_same_entities_modulo_ids_each_once() -> None:
    source, target = source_server(), boardport_target()
    result = migrate(source, target, batch_size=1)
    assert without_ids(target.holds(TARGET)) == without_ids(
        [source._exported(i) for i in source.entities]
    )
    assert max(source.export_batches) == 1
    assert len(target.imports) == 1
    assert set(result.id_map()) == set(source.entities)


class ListingSource(FakeOptimizeServer):
    """A source that says when it has been asked for its collection's ids, or fails."""

    def __init__(self, server: FakeOptimizeServer, refusal: ServerRefused | None = None) -> None:
        super().__init__(url=server.url)
        self.entities = server.entities
        self.listing = threading.Event()
        self._refusal = refusal

    def list_ids(self, kind: EntityKind, collection_id: str) -> list[str]:
        self.listing.set()
        if self._refusal is not None:
            raise self._refusal
        return super().list_ids(kind, collection_id)


class WaitingTarget(FakeOptimizeServer):
    """A boardport that answers what it knows only once the source is listing, or fails."""

    def __init__(self, source: ListingSource, refusal: ServerRefused | None = None) -> None:
        super().__init__(url="http://target.invalid", boardport=True)
        self._source = source
        self._refusal = refusal

    def definitions(self) -> list[Definition]:
        if self._refusal is not None:
            raise self._refusal
        assert self._source.listing.wait(5.0), "the source was not listed meanwhile"
        return super().definitions()


def test_the_target_is_asked_what_it_knows_while_the_source_lists() -> None:
    source = ListingSource(source_server())
    target = WaitingTarget(source)
    migrate(source, target)
    assert len(target.holds(TARGET)) == 7


def test_when_both_servers_fail_at_the_start_the_targets_error_is_reported() -> None:
    source_down = ServerRefused(503, "serviceUnavailableError", "source down")
    source = ListingSource(source_server(), source_down)
    target = WaitingTarget(source, ServerRefused(401, "notAuthorizedError", "target says no"))
    with pytest.raises(ServerRefused, match="target says no"):
        migrate(source, target)


def test_migrating_again_with_overwrite_leaves_no_duplicates() -> None:
    source, target = source_server(), boardport_target()
    migrate(source, target, overwrite=True)
    again = migrate(source, target, overwrite=True)
    assert len(target.holds(TARGET)) == 7
    assert again.delivery.counts()["unchanged"] == 7


def test_a_target_down_for_the_run_leaves_nothing_half_imported() -> None:
    source, target = source_server(), boardport_target()
    target.refuse_imports.append(ServerRefused(503, "serviceUnavailableError", "down"))
    with pytest.raises(ServerRefused):
        migrate(source, target)
    assert target.holds(TARGET) == []


def test_an_index_mismatch_without_a_converter_is_reported_as_the_target_sent_it() -> None:
    source = source_server()
    target = boardport_target(
        index_versions={
            "single_process_report": 8,
            "single_decision_report": 8,
            "combined_report": 8,
            "dashboard": 5,
        }
    )
    with pytest.raises(ServerRefused) as refusal:
        migrate(source, target, prepare=True)
    assert refusal.value.error_code == "importIndexVersionMismatch"
    assert target.holds(TARGET) == []


OPTIMIZE_37 = {
    "single_process_report": 8,
    "single_decision_report": 8,
    "combined_report": 8,
    "dashboard": 5,
}


def test_a_target_of_another_release_receives_the_file_converted_to_its_format() -> None:
    source = source_server()
    target = FakeOptimizeServer(
        boardport=False, index_versions=OPTIMIZE_37, check_definitions=False
    )
    converter = VersionRenumbering("3.7", OPTIMIZE_37)
    result = migrate(source, target, converter=converter)
    assert converter.converted == ["3.7"]
    assert result.delivery.converted_to == "3.7"
    assert {e["sourceIndexVersion"] for e in target.imports[-1]["file"]} == {8, 5}
    assert len(target.holds(TARGET)) == 7


def test_a_conversion_that_loses_something_stops_the_run_unless_loss_is_allowed() -> None:
    target = FakeOptimizeServer(
        boardport=False, index_versions=OPTIMIZE_37, check_definitions=False
    )
    converter = VersionRenumbering("3.7", OPTIMIZE_37, losses=('dashboard "d1": text tile',))
    with pytest.raises(ConversionLoses, match="text tile"):
        migrate(source_server(), target, converter=converter)
    assert target.holds(TARGET) == []
    result = migrate(source_server(), target, converter=converter, allow_loss=True)
    assert result.delivery.losses == ('dashboard "d1": text tile',)


def test_a_given_target_release_converts_before_the_first_import() -> None:
    target = FakeOptimizeServer(
        boardport=False, index_versions=OPTIMIZE_37, check_definitions=False
    )
    converter = VersionRenumbering("3.7", OPTIMIZE_37)
    migrate(source_server(), target, converter=converter, target_release="3.7")
    assert len(target.imports) == 1


# -- list -------------------------------------------------------------------------------------


def test_listing_a_servers_reports_gives_names_ids_and_types_without_the_ones_brought_along() -> (
    None
):
    server = source_server()
    server.entities["c1"].collection_id = "elsewhere"
    listed = ListRemoteEntities(server, batch_size=2)(EntityKind.REPORT, SOURCE)
    assert [(e.id, e.name, e.entity_type) for e in listed] == [
        ("r1", "Report r1", "single_process_report"),
        ("r2", "Report r2", "single_process_report"),
        ("r3", "Report r3", "single_process_report"),
        ("loose", "Report loose", "single_process_report"),
    ]


def test_listing_a_servers_dashboards() -> None:
    listed = ListRemoteEntities(source_server())(EntityKind.DASHBOARD, SOURCE)
    assert [(e.id, e.name, e.entity_type) for e in listed] == [
        ("d1", "Dashboard d1", "dashboard"),
        ("d2", "Dashboard d2", "dashboard"),
    ]


def test_the_silent_progress_declares_the_port_it_implements() -> None:
    assert Progress in SilentProgress.__mro__


def test_an_exported_batch_goes_to_the_spool_as_the_server_wrote_it_each_entity_once() -> None:
    reports = [
        process_report_entity(f"r{n}", xml=bpmn("invoice"), versions=("1",)) for n in range(150)
    ]
    dashboard = dashboard_entity("d1", ["r0", "r149"], extra_tiles=[text_tile_json()])
    entities = [*reports, dashboard]
    texts = [json.dumps(e, indent=1).encode() for e in entities]
    spool = MemorySpool()
    written_when_parsed: list[int] = []

    def parse(text: bytes | memoryview) -> JsonValue:
        written_when_parsed.append(len(spool.data))
        value: JsonValue = json.loads(bytes(text))
        return value

    outgoing = OutgoingFile(spool)
    assert outgoing.add(ExportedBatch(texts, parse)) == len(entities)
    assert len(written_when_parsed) == len(entities)  # each entity parsed once
    # One piece at a time: the first piece is written before the next one is parsed.
    assert written_when_parsed[PIECE - 1] == 0 < written_when_parsed[PIECE]
    assert spool.writes == 2  # a piece goes to the spool in one write, not one per entity
    assert outgoing.add(ExportedBatch(texts[:1], parse)) == 0
    outgoing.finish()
    assert bytes(spool.data) == b"[" + b",".join(texts) + b"]"
    assert json.loads(spool.data) == entities


def test_an_exported_batch_with_an_unreadable_entity_is_refused_naming_each_problem() -> None:
    entities: list[JsonValue] = [
        process_report_entity(f"r{n}", xml=bpmn("invoice"), versions=("1",)) for n in range(150)
    ]
    broken = [5, 120]
    for n in broken:
        entity = entities[n]
        assert isinstance(entity, dict)
        del entity["name"]
    texts = [json.dumps(e).encode() for e in entities]
    with pytest.raises(ImportFileInvalid) as whole:
        OutgoingFile(MemorySpool()).add(entities)
    with pytest.raises(ImportFileInvalid) as in_pieces:
        OutgoingFile(MemorySpool()).add(ExportedBatch(texts, lambda t: json.loads(bytes(t))))
    assert str(in_pieces.value) == str(whole.value)
    assert all(f'"r{n}"' in str(whole.value) for n in broken)
