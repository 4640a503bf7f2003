"""migrate and list through the port, against the in-memory server, and the outgoing file
they assemble."""

from __future__ import annotations

import json
import threading

import pytest

from application.deploy.release_conversion import ConversionLoses
from application.outgoing_file import PIECE, OutgoingFile
from application.ports.optimize_server import EntityKind, ExportedBatch, ServerKind, ServerRefused
from application.ports.progress import Progress, SilentProgress
from application.use_cases.list_remote_entities import ListRemoteEntities
from domain.definition import Definition
from domain.errors import ImportFileInvalid
from domain.json_document import JsonValue
from tests.builders.wire import dashboard_entity, process_report_entity, text_tile_json
from tests.client_fakes import MemorySpool, VersionRenumbering
from tests.fake_optimize_server import FakeOptimizeServer
from tests.unit.client.scenarios import (
    SOURCE,
    TARGET,
    boardport_target,
    bpmn,
    migrate,
    optimize_target,
    source_server,
    without_ids,
)


def test_migrating_gives_the_target_the_same_entities_modulo_ids_each_once() -> None:
    source, target = source_server(), boardport_target()
    result = migrate(source, target, batch_size=1)
    assert without_ids(target.holds(TARGET)) == without_ids(
        [source._exported(i) for i in source.entities]
    )
    assert max(source.export_batches) == 1
    assert len(target.imports) == 1
    assert set(result.id_map()) == set(source.entities)


def test_migrating_an_unknown_source_collection_is_a_404_and_imports_nothing() -> None:
    source, target = source_server(collections={"another"}), boardport_target()
    source.entities.clear()  # SOURCE is not a collection of it
    with pytest.raises(ServerRefused) as refusal:
        migrate(source, target)
    assert refusal.value.error_code == "notFoundError"
    assert target.imports == []


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
    """An earlier boardport that answers what it knows only once the source is listing, or
    fails."""

    def __init__(self, source: ListingSource, refusal: ServerRefused | None = None) -> None:
        super().__init__(url="http://target.invalid", server_kind=ServerKind.EARLIER_BOARDPORT)
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


def test_migrating_again_leaves_no_duplicates() -> None:
    source, target = source_server(), boardport_target()
    migrate(source, target)
    again = migrate(source, target)
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
        migrate(source, target)
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
    target = optimize_target(index_versions=OPTIMIZE_37)
    converter = VersionRenumbering("3.7", OPTIMIZE_37)
    result = migrate(source, target, converter=converter)
    assert converter.converted == ["3.7"]
    assert result.delivery.converted_to == "3.7"
    assert {e["sourceIndexVersion"] for e in target.imports[-1]["file"]} == {8, 5}
    assert len(target.holds(TARGET)) == 7


def test_a_conversion_that_loses_something_stops_the_run_unless_loss_is_allowed() -> None:
    target = optimize_target(index_versions=OPTIMIZE_37)
    converter = VersionRenumbering("3.7", OPTIMIZE_37, losses=('dashboard "d1": text tile',))
    with pytest.raises(ConversionLoses, match="text tile"):
        migrate(source_server(), target, converter=converter)
    assert target.holds(TARGET) == []
    result = migrate(source_server(), target, converter=converter, allow_loss=True)
    assert result.delivery.losses == ('dashboard "d1": text tile',)


def test_a_given_target_release_converts_before_the_first_import() -> None:
    target = optimize_target(index_versions=OPTIMIZE_37)
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
