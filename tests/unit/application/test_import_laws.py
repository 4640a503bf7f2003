"""The import laws, for any valid set of entities: round trip, all or nothing, honest dry run."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from application.use_cases.import_entities import ImportEntities, ImportOptions
from domain.collection import Collection, ScopeEntry
from domain.errors import DomainError
from tests.builders.domain import TESTER
from tests.exporting import export_file, export_over, exported
from tests.fakes import FakeUnitOfWork, FixedClock, SequentialIds, StorageFailure, WriteBudget
from tests.strategies import WORLD_DEFINITIONS, World, worlds

TARGET = Collection(
    "target",
    "Target",
    None,
    datetime(2026, 1, 1, tzinfo=UTC),
    tuple(ScopeEntry(d.type, d.key, (None,)) for d in WORLD_DEFINITIONS),
)
Json = Any


def file_of(world: World) -> list[Json]:
    """The world as Optimize would export it: every report, then every dashboard."""
    file: list[Json] = json.loads(export_file(world.reports.values(), world.dashboards.values()))
    return file


def empty_target(budget: WriteBudget | None = None) -> FakeUnitOfWork:
    return FakeUnitOfWork(collections=[TARGET], definitions=WORLD_DEFINITIONS, budget=budget)


def importer(uow: FakeUnitOfWork) -> ImportEntities:
    return ImportEntities(uow, uow, SequentialIds("new"), FixedClock())


def reader(document: Json) -> Callable[[], Json]:
    return lambda: document


def stored_state(uow: FakeUnitOfWork) -> tuple[object, ...]:
    return (dict(uow.reports.stored), dict(uow.dashboards.stored))


def comparable(entity: Json, rename: dict[str, str]) -> Json:
    """An entity modulo what import may change: IDs (mapped through `rename`), collectionId,
    sourceIndexVersion and configuration.xml."""
    entity = json.loads(json.dumps(entity))
    entity["id"] = rename.get(entity["id"], entity["id"])
    entity.pop("collectionId")
    entity.pop("sourceIndexVersion")
    data = entity.get("data")
    if isinstance(data, dict):
        if isinstance(data.get("configuration"), dict):
            data["configuration"]["xml"] = None
        for child in (
            data.get("reports", []) if entity["exportEntityType"] == "combined_report" else []
        ):
            child["id"] = rename.get(child["id"], child["id"])
    for tile in entity.get("tiles", []):
        tile["id"] = rename.get(tile["id"], tile["id"])
    return entity


@given(worlds())
def test_import_then_export_gives_back_the_same_entities(world: World) -> None:
    round_trip(world)


@settings(max_examples=5, deadline=None)
@given(worlds(max_reports=300, max_dashboards=100))
def test_a_large_world_round_trips(world: World) -> None:
    round_trip(world)


def round_trip(world: World) -> None:
    document = file_of(world)
    uow = empty_target()
    items = importer(uow)("target", reader(document), actor=TESTER)
    back_to_source = {i.id: i.source_id for i in items if i.id is not None}
    new_reports = [i.id for i in items if i.entity_type == "report" and i.id is not None]
    new_dashboards = [i.id for i in items if i.entity_type == "dashboard" and i.id is not None]
    export = export_over(uow)
    exported_entities = json.loads(exported(export, "reports", new_reports)) + json.loads(
        exported(export, "dashboards", new_dashboards)
    )
    by_source = {e["id"]: comparable(e, {}) for e in document}
    round_tripped = {
        back_to_source[e["id"]]: comparable(e, back_to_source) for e in exported_entities
    }
    assert round_tripped == by_source
    assert all(e["collectionId"] == "target" for e in exported_entities)
    assert uow.commits == (1 if document else 0)  # one transaction; an empty file changes nothing


CORRUPTIONS: dict[str, Callable[[Json], None]] = {
    "no name": lambda e: e.pop("name"),
    "old version": lambda e: e.update(sourceIndexVersion=3),
    "empty description": lambda e: e.update(description=""),
    "unknown type": lambda e: e.update(exportEntityType="chart"),
    "id is a number": lambda e: e.update(id=7),
    "management report": lambda e: (
        e.get("data", {}).update(managementReport=True)
        if "data" in e
        else e.update(instantPreviewDashboard=True)
    ),
    "dangling reference": lambda e: (
        e.setdefault("tiles", []).append(
            {
                "id": "nowhere",
                "type": "optimize_report",
                "position": {"x": 0, "y": 0},
                "dimensions": {"width": 1, "height": 1},
                "configuration": None,
            }
        )
        if "tiles" in e
        else e["data"].update(reports=[{"id": "nowhere"}], visualization="bar")
        if e["exportEntityType"] == "combined_report"
        else e["data"]["definitions"][0].update(key="unknown-process")
    ),
}


def not_empty(world: World) -> bool:
    return bool(world.reports or world.dashboards)


@given(worlds().filter(not_empty), st.data())
def test_a_file_with_one_invalid_entity_anywhere_writes_nothing(
    world: World, data: st.DataObject
) -> None:
    document = file_of(world)
    victim = data.draw(st.integers(0, len(document) - 1), label="victim")
    corruption = data.draw(st.sampled_from(sorted(CORRUPTIONS)), label="corruption")
    CORRUPTIONS[corruption](document[victim])
    uow = empty_target()
    before = stored_state(uow)
    with pytest.raises(DomainError):
        importer(uow)("target", reader(document), actor=TESTER)
    # Not even a write that a rollback would undo: an invalid file is refused before any.
    assert uow.budget.attempts == []
    assert stored_state(uow) == before
    assert uow.commits == 0


@given(worlds().filter(not_empty), st.data())
def test_a_storage_failure_at_any_write_leaves_nothing_behind(
    world: World, data: st.DataObject
) -> None:
    document = file_of(world)
    fail_at = data.draw(st.integers(1, len(document)), label="failing write")
    uow = empty_target(WriteBudget(fail_at=fail_at))
    before = stored_state(uow)
    with pytest.raises(StorageFailure):
        importer(uow)("target", reader(document), actor=TESTER)
    assert stored_state(uow) == before
    assert uow.commits == 0


@given(worlds())
def test_a_dry_run_writes_nothing_and_predicts_the_import(world: World) -> None:
    document = file_of(world)
    uow = empty_target()
    before = stored_state(uow)
    predicted = importer(uow)("target", reader(document), ImportOptions(dry_run=True), actor=TESTER)
    assert uow.budget.attempts == []
    assert stored_state(uow) == before
    assert uow.commits == 0
    assert all(item.id is None for item in predicted)
    created = importer(uow)("target", reader(document), actor=TESTER)
    assert [(i.entity_type, i.source_id) for i in predicted] == [
        (i.entity_type, i.source_id) for i in created
    ]
    assert len(uow.reports.stored) + len(uow.dashboards.stored) == len(created)
