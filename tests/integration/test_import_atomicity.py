"""All or nothing on the real adapters: a database failure in the middle of an import's write
leaves the database as it was, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from dependency_injector import providers
from sqlalchemy import event, func, select, text

from adapters.sqlmodel.tables import CombinedReportChildRow, DashboardRow, ReportRow, TileRow
from application.errors import StorageConflict, StorageError
from application.ports.id_generator import IdGenerator
from application.use_cases.load_seed import Seed
from application.use_cases.register_definition import DefinitionRequest
from domain.collection import ScopeEntry
from domain.definition import DefinitionType
from domain.json_document import JsonValue
from entrypoints.container import Container
from tests.builders.domain import TESTER, collection
from tests.builders.wire import (
    combined_report_entity,
    dashboard_entity,
    process_report_entity,
    text_tile_json,
)
from tests.databases import begins_with

FILE: list[JsonValue] = [
    process_report_entity("r1"),
    process_report_entity("r2"),
    combined_report_entity("k", ["r1", "r2"]),
    dashboard_entity("d1", ["r1", "k"], extra_tiles=[text_tile_json()]),
    dashboard_entity("d2", ["r2"], extra_tiles=[text_tile_json()]),
]


class InjectedFailure(Exception):
    pass


@contextmanager
def failing_on(container: Container, table: str) -> Iterator[None]:
    """Makes the first INSERT into `table` fail, after earlier statements have run."""

    def fail(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if begins_with(statement, f"INSERT INTO {table.upper()} "):
            raise InjectedFailure(f"injected failure on {table}")

    engine = container.engine()
    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", fail)


def prepare(container: Container) -> None:
    container.load_seed()(Seed(collections=(collection("target"),)))
    container.add_to_collection_scope()(
        "target", [ScopeEntry(DefinitionType.PROCESS, "invoice", (None,))]
    )
    container.register_definition()(
        DefinitionRequest(type="process", key="invoice", name="Invoice", version="1")
    )


class ScriptedIds(IdGenerator):
    def __init__(self, ids: list[str]) -> None:
        self._ids = iter(ids)

    def new_id(self) -> str:
        return next(self._ids)


def counts(container: Container) -> dict[str, int]:
    with container.engine().connect() as connection:
        return {
            table.__tablename__: connection.execute(
                select(func.count()).select_from(table)
            ).scalar_one()
            for table in (ReportRow, CombinedReportChildRow, DashboardRow, TileRow)
        }


@pytest.mark.parametrize("table", ["combined_report_child", "dashboard", "dashboard_tile"])
def test_a_failure_in_the_middle_of_the_write_leaves_nothing(
    container: Container, table: str
) -> None:
    prepare(container)
    before = counts(container)
    with failing_on(container, table), pytest.raises((InjectedFailure, StorageError)):
        container.import_entities()("target", lambda: FILE, actor=TESTER)
    assert (
        counts(container)
        == before
        == {
            "report": 0,
            "combined_report_child": 0,
            "dashboard": 0,
            "dashboard_tile": 0,
        }
    )
    items = container.import_entities()("target", lambda: FILE, actor=TESTER)
    assert len(items) == 5
    assert counts(container) == {
        "report": 3,
        "combined_report_child": 2,
        "dashboard": 2,
        "dashboard_tile": 5,
    }


def test_a_constraint_violation_mid_import_rolls_everything_back(container: Container) -> None:
    prepare(container)
    # A row that makes the second dashboard's insert collide, after the reports went in.
    container.ids.override(providers.Object(ScriptedIds(["n1", "n2", "n3", "n4", "taken"])))
    with container.engine().begin() as connection:
        connection.execute(
            text(
                "INSERT INTO dashboard (id, name, available_filters, created) "
                "VALUES ('taken', 'already here', '[]', CURRENT_TIMESTAMP)"
            )
        )
    try:
        with pytest.raises(StorageConflict):
            container.import_entities()("target", lambda: FILE, actor=TESTER)
    finally:
        container.ids.reset_override()
    assert counts(container)["report"] == 0
    assert counts(container)["dashboard"] == 1
