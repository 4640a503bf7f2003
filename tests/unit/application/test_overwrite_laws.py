"""The laws of import with overwrite, for any file and any edit of it: the edit lands as if it
were imported alone, ids stay, a second deploy changes nothing, a dry run tells the truth."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from application.use_cases.import_entities import ImportEntities, ImportOptions
from domain.dashboard import Dashboard
from domain.errors import OverwriteConflict
from domain.import_plan import ImportedItem
from domain.report import Report
from tests.builders.domain import TESTER, dashboard_of, process_report
from tests.builders.wire import dashboard_entity, process_report_entity, text_tile_json
from tests.exporting import export_file, export_over, exported
from tests.fakes import FakeUnitOfWork, FixedClock, SequentialIds, StorageFailure, WriteBudget
from tests.overwrite_strategies import edits
from tests.strategies import WORLD_DEFINITIONS, World, worlds
from tests.unit.application.test_import_laws import TARGET

Json = Any


def file_of(world: World) -> list[Json]:
    """The world as Optimize would export it: every report, then every dashboard."""
    file: list[Json] = json.loads(export_file(world.reports.values(), world.dashboards.values()))
    return file


def empty_target(budget: WriteBudget | None = None) -> FakeUnitOfWork:
    return FakeUnitOfWork(collections=[TARGET], definitions=WORLD_DEFINITIONS, budget=budget)


def reader(document: Json) -> Callable[[], Json]:
    return lambda: document


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
        if entity["exportEntityType"] == "combined_report":
            for child in data.get("reports", []):
                child["id"] = rename.get(child["id"], child["id"])
    for tile in entity.get("tiles", []):
        tile["id"] = rename.get(tile["id"], tile["id"])
    return entity


def importer(uow: FakeUnitOfWork, prefix: str = "new") -> ImportEntities:
    return ImportEntities(uow, uow, SequentialIds(prefix), FixedClock())


def overwrite(
    uow: FakeUnitOfWork, document: Json, *, dry_run: bool = False, prefix: str = "again"
) -> tuple[ImportedItem, ...]:
    options = ImportOptions(dry_run=dry_run, overwrite=True)
    return importer(uow, prefix)("target", reader(document), options, actor=TESTER)


def stored_entity(uow: FakeUnitOfWork, entity_id: str | None) -> Report | Dashboard | None:
    """The stored report or dashboard of that ID; None for none, or for no ID."""
    if entity_id is None:
        return None
    return uow.reports.stored.get(entity_id) or uow.dashboards.stored.get(entity_id)


def content(uow: FakeUnitOfWork, items: tuple[ImportedItem, ...]) -> dict[str, Json]:
    """What the collection holds for these items, by source ID, modulo IDs."""
    back_to_source = {i.id: i.source_id for i in items if i.id is not None}
    reports = [i.id for i in items if i.entity_type == "report" and i.id is not None]
    dashboards = [i.id for i in items if i.entity_type == "dashboard" and i.id is not None]
    export = export_over(uow)
    exported_entities = json.loads(exported(export, "reports", reports)) + json.loads(
        exported(export, "dashboards", dashboards)
    )
    return {back_to_source[e["id"]]: comparable(e, back_to_source) for e in exported_entities}


def state(uow: FakeUnitOfWork) -> tuple[object, ...]:
    return (
        dict(uow.reports.stored),
        dict(uow.dashboards.stored),
        dict(uow.reports.sources),
        dict(uow.dashboards.sources),
    )


LAWS = settings(max_examples=50)  # three imports and two exports an example; the suite has a budget


@st.composite
def deploys(draw: st.DrawFn) -> tuple[World, World]:
    first = draw(worlds())
    return first, draw(edits(first))


@LAWS
@given(deploys())
def test_an_edit_imported_with_overwrite_lands_as_if_imported_alone_and_keeps_ids(
    deploy: tuple[World, World],
) -> None:
    first, second = deploy
    uow = empty_target()
    before = importer(uow)("target", reader(file_of(first)), actor=TESTER)
    kept_before = {i.source_id: stored_entity(uow, i.id) for i in before}
    after = overwrite(uow, file_of(second))

    alone = empty_target()
    fresh = importer(alone, "alone")("target", reader(file_of(second)), actor=TESTER)
    assert content(uow, after) == content(alone, fresh)
    old_ids = {i.source_id: i.id for i in before}
    for item in after:
        if item.source_id in old_ids:
            assert item.id == old_ids[item.source_id]
            assert item.action in {"updated", "unchanged"}
        else:
            assert item.action == "created"
    # What the edit no longer mentions is left exactly as the first deploy left it.
    mentioned = {i.source_id for i in after}
    for item in before:
        if item.source_id not in mentioned:
            stored = stored_entity(uow, item.id)
            assert stored == kept_before[item.source_id]
    assert len(uow.reports.stored) + len(uow.dashboards.stored) == len(mentioned | set(old_ids))


@LAWS
@given(deploys())
def test_overwrite_is_idempotent(deploy: tuple[World, World]) -> None:
    first, second = deploy
    uow = empty_target()
    importer(uow)("target", reader(file_of(first)), actor=TESTER)
    applied = overwrite(uow, file_of(second))
    after_once, commits = state(uow), uow.commits
    again = overwrite(uow, file_of(second), prefix="third")
    assert state(uow) == after_once
    assert uow.commits == commits  # nothing written, nothing committed
    assert [i.action for i in again] == ["unchanged"] * len(again)
    assert [(i.id, i.source_id) for i in again] == [(i.id, i.source_id) for i in applied]


@LAWS
@given(deploys())
def test_a_dry_run_predicts_every_action_and_writes_nothing(deploy: tuple[World, World]) -> None:
    first, second = deploy
    uow = empty_target()
    importer(uow)("target", reader(file_of(first)), actor=TESTER)
    before, commits = state(uow), uow.commits
    predicted = overwrite(uow, file_of(second), dry_run=True)
    assert state(uow) == before
    assert uow.commits == commits
    done = overwrite(uow, file_of(second))
    assert [(i.entity_type, i.source_id, i.action) for i in predicted] == [
        (i.entity_type, i.source_id, i.action) for i in done
    ]
    assert [i.id for i in predicted] == [None if i.action == "created" else i.id for i in done]


@LAWS
@given(deploys(), st.data())
def test_a_storage_failure_at_any_write_of_an_overwrite_keeps_the_previous_content(
    deploy: tuple[World, World], data: st.DataObject
) -> None:
    first, second = deploy
    budget = WriteBudget()
    uow = empty_target(budget)
    importer(uow)("target", reader(file_of(first)), actor=TESTER)
    before, commits = state(uow), uow.commits
    writes = budget.writes
    # The same deploy on a twin, to count the writes this overwrite makes.
    twin = empty_target()
    importer(twin)("target", reader(file_of(first)), actor=TESTER)
    overwrite(twin, file_of(second))
    needed = twin.budget.writes - writes
    if needed == 0:
        return
    budget.fail_at = writes + data.draw(st.integers(1, needed), label="failing write")
    with pytest.raises(StorageFailure):
        overwrite(uow, file_of(second))
    assert state(uow) == before
    assert uow.commits == commits


def test_a_plain_import_after_an_overwrite_one_creates_copies_which_take_the_origins() -> None:
    document = [
        process_report_entity("r1"),
        dashboard_entity("d1", ["r1"], extra_tiles=[text_tile_json()]),
    ]
    uow = empty_target()
    first = overwrite(uow, document)
    second = importer(uow, "plain")("target", reader(document), actor=TESTER)
    assert [i.action for i in first] == ["created", "created"]
    assert [i.action for i in second] == [None, None]
    assert len(uow.reports.stored) == len(uow.dashboards.stored) == 2
    # The newest copies take the origins over: the next overwrite finds what was deployed last.
    again = overwrite(uow, document)
    assert [i.id for i in again] == [i.id for i in second]
    assert [i.action for i in again] == ["unchanged", "unchanged"]


def test_an_entity_imported_as_another_type_is_a_conflict_naming_both() -> None:
    uow = empty_target()
    importer(uow)(
        "target", reader([dashboard_entity("x", [], extra_tiles=[text_tile_json()])]), actor=TESTER
    )
    stored_id = next(iter(uow.dashboards.stored))
    before = state(uow)
    with pytest.raises(OverwriteConflict) as refused:
        overwrite(uow, [process_report_entity("x")])
    assert '"x"' in refused.value.detail
    assert stored_id in refused.value.detail
    assert state(uow) == before


def test_two_entities_of_the_file_matching_one_stored_entity_are_refused_naming_both() -> None:
    uow = FakeUnitOfWork(
        reports=[process_report("a", collection_id="target")],
        collections=empty_target().collections.stored.values(),
        definitions=empty_target().definitions.stored.values(),
    )
    uow.reports.sources["a"] = ("", "b")  # report "a" was imported here from "b"
    before = state(uow)
    with pytest.raises(OverwriteConflict) as refused:
        overwrite(uow, [process_report_entity("a"), process_report_entity("b")])
    assert '"a" and "b"' in refused.value.detail
    assert state(uow) == before


def test_an_entity_with_the_same_id_in_the_collection_is_overwritten_in_place() -> None:
    uow = FakeUnitOfWork(
        reports=[process_report("r1", collection_id="target")],
        dashboards=[dashboard_of("d1", "r1", collection_id="target")],
        collections=empty_target().collections.stored.values(),
        definitions=empty_target().definitions.stored.values(),
    )
    items = overwrite(
        uow,
        [process_report_entity("r1"), dashboard_entity("d1", [], extra_tiles=[text_tile_json()])],
    )
    assert [(i.id, i.action) for i in items] == [("r1", "updated"), ("d1", "updated")]
    assert uow.dashboards.stored["d1"].tiles[0].report_id is None  # only the text tile is left
    assert "r1" in uow.reports.stored  # a report taken off a dashboard stays
