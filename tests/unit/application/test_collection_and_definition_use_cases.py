from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from application.use_cases.add_to_collection_scope import AddToCollectionScope
from application.use_cases.create_collection import CreateCollection
from application.use_cases.delete_dashboard import DeleteDashboard
from application.use_cases.delete_report import DeleteReport
from application.use_cases.get_collection import GetCollection
from application.use_cases.import_entities import ImportEntities
from application.use_cases.prepare_for_import import PrepareForImport
from application.use_cases.register_definition import DefinitionRequest, RegisterDefinition
from application.use_cases.set_sharing import SHARING_FLAG, SetSharing
from domain.collection import ScopeEntry
from domain.definition import DefinitionType
from domain.errors import BadRequest, DefinitionInvalid, NotFound
from domain.json_document import JsonValue
from tests.builders.domain import TESTER, collection, combined_report, dashboard_of, process_report
from tests.builders.wire import dashboard_entity, process_report_entity, text_tile_json
from tests.fakes import FakeUnitOfWork, FixedClock, SequentialIds

BPMN = (Path(__file__).resolve().parents[3] / "entrypoints" / "demo" / "invoice.bpmn").read_text()
PROCESS = DefinitionType.PROCESS


def test_a_new_collection_is_stored_with_an_empty_scope() -> None:
    uow = FakeUnitOfWork()
    created = CreateCollection(uow, SequentialIds("c"), FixedClock())("Finance", "alice")
    assert (created.id, created.name, created.owner_id, created.scope) == (
        "c-1",
        "Finance",
        "alice",
        (),
    )
    assert uow.collections.stored["c-1"] == created
    assert CreateCollection(uow, SequentialIds("x"), FixedClock())().name == "New Collection"


@pytest.mark.parametrize("name", ["", "   ", "x" * 1001])
def test_a_collection_name_must_have_some_characters_but_not_too_many(name: str) -> None:
    with pytest.raises(BadRequest):
        CreateCollection(FakeUnitOfWork(), SequentialIds(), FixedClock())(name)


def test_scope_entries_widen_tenants_and_never_narrow_them() -> None:
    uow = FakeUnitOfWork(collections=[collection("c")])
    add = AddToCollectionScope(uow)
    add("c", [ScopeEntry(PROCESS, "invoice", ("a",))])
    widened = add(
        "c", [ScopeEntry(PROCESS, "invoice", ("b",)), ScopeEntry(PROCESS, "pay", (None,))]
    )
    assert widened.scope_entry(PROCESS, "invoice") == ScopeEntry(PROCESS, "invoice", ("a", "b"))
    assert GetCollection(uow)("c") == widened


def test_an_unknown_collection_is_not_found() -> None:
    with pytest.raises(NotFound, match=r"collections with IDs \[nope\]"):
        GetCollection(FakeUnitOfWork())("nope")
    with pytest.raises(NotFound):
        AddToCollectionScope(FakeUnitOfWork())("nope", [])


def test_a_definition_is_registered_from_its_xml_as_the_next_version() -> None:
    uow = FakeUnitOfWork()
    register = RegisterDefinition(uow)
    first = register(DefinitionRequest(type="process", xml=BPMN))
    second = register(DefinitionRequest(type="PROCESS", xml=BPMN))
    assert (first.key, first.name, first.version) == ("invoice", "Invoice Approval", "1")
    assert second.version == "2"
    other_tenant = register(DefinitionRequest(type="process", xml=BPMN, tenant_id="acme"))
    assert other_tenant.version == "1"
    assert len(uow.definitions.stored) == 3


@pytest.mark.parametrize(
    "request_",
    [
        DefinitionRequest(type="workflow", key="x"),
        DefinitionRequest(type="process"),
        DefinitionRequest(type="process", xml=BPMN, key="other"),
        DefinitionRequest(type="process", key="x", version=" "),
        DefinitionRequest(type="process", xml="<!DOCTYPE x><definitions/>"),
    ],
)
def test_an_unusable_definition_is_refused_and_nothing_is_stored(
    request_: DefinitionRequest,
) -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(DefinitionInvalid):
        RegisterDefinition(uow)(request_)
    assert uow.definitions.stored == {}


def test_preparing_for_a_file_makes_the_file_importable_and_is_idempotent() -> None:
    document: list[JsonValue] = [
        process_report_entity("r1", xml=BPMN, tenants=["<default>"]),
        dashboard_entity("d", ["r1"], extra_tiles=[text_tile_json()]),
    ]
    uow = FakeUnitOfWork(collections=[collection("c")])
    prepared = PrepareForImport(uow)(document, "c")
    assert [(d.key, d.version, d.tenant_id, d.xml == BPMN) for d in prepared.registered] == [
        ("invoice", "1", "<default>", True)
    ]
    assert PrepareForImport(uow)(document, "c").registered == ()
    items = ImportEntities(uow, uow, SequentialIds(), FixedClock())(
        "c", lambda: document, actor=TESTER
    )
    assert len(items) == 2


def test_deleting_a_report_takes_it_off_dashboards_and_combined_reports() -> None:
    uow = FakeUnitOfWork(
        reports=[process_report("r1"), process_report("r2"), combined_report("k", ["r1", "r2"])],
        dashboards=[dashboard_of("d", "r1", "k", "r2")],
    )
    DeleteReport(uow, FixedClock())("r1", actor=TESTER)
    assert set(uow.reports.stored) == {"r2", "k"}
    assert uow.reports.stored["k"].child_ids == ("r2",)
    combined: Any = uow.reports.stored["k"].data.value
    assert combined["reports"] == [{"id": "r2", "color": "#1991c8"}]
    assert uow.dashboards.stored["d"].report_ids() == ("k", "r2")
    assert uow.committed


def test_a_management_report_cannot_be_deleted() -> None:
    uow = FakeUnitOfWork(reports=[process_report("m", managementReport=True)])
    with pytest.raises(BadRequest, match="management report"):
        DeleteReport(uow, FixedClock())("m", actor=TESTER)
    assert "m" in uow.reports.stored


def test_deleting_what_is_not_there_is_not_found() -> None:
    with pytest.raises(NotFound):
        DeleteReport(FakeUnitOfWork(), FixedClock())("x", actor=TESTER)
    with pytest.raises(NotFound):
        DeleteDashboard(FakeUnitOfWork(), FixedClock())("x", actor=TESTER)


def test_sharing_is_one_stored_flag() -> None:
    uow = FakeUnitOfWork()
    SetSharing(uow)(enabled=True)
    assert uow.settings.flags[SHARING_FLAG] is True
    SetSharing(uow)(enabled=False)
    assert uow.settings.flags[SHARING_FLAG] is False
