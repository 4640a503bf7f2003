"""All or nothing for an overwriting import on the real adapters: a dropped connection or a
constraint violation in the middle of its writes leaves the previous content as it was, on
SQLite and PostgreSQL; and the storage itself refuses a second copy of one source."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from dependency_injector import providers
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from application.errors import StorageConflict
from application.use_cases.import_entities import ImportOptions
from domain.errors import OverwriteConflict
from domain.json_document import JsonValue
from entrypoints.container import Container
from tests.builders.domain import TESTER, dashboard_of, process_report
from tests.builders.wire import (
    combined_report_entity,
    dashboard_entity,
    process_report_entity,
    text_tile_json,
)
from tests.databases import begins_with
from tests.integration.test_import_atomicity import ScriptedIds, prepare
from tests.system.test_faults import drop_the_connection

FIRST: list[JsonValue] = [
    process_report_entity("r1"),
    process_report_entity("r2"),
    combined_report_entity("k", ["r1", "r2"]),
    dashboard_entity("d1", ["r1", "k"], extra_tiles=[text_tile_json()]),
    dashboard_entity("d2", ["r2"], extra_tiles=[text_tile_json()]),
]
EDITED = [
    {**process_report_entity("r1"), "name": "Renamed"},
    process_report_entity("r2"),
    process_report_entity("r3"),
    combined_report_entity("k", ["r2"]),
    dashboard_entity("d1", ["r3", "r1"], extra_tiles=[text_tile_json()]),
    {**dashboard_entity("d2", ["r2"], extra_tiles=[text_tile_json()]), "name": "Renamed"},
    dashboard_entity("d3", ["r3"], extra_tiles=[text_tile_json()]),
]
EDITED_ACTIONS = ["updated", "unchanged", "created", "updated", "updated", "updated", "created"]
TABLES = {
    "report": "id, collection_id, entity_type, name, description, data, source_id",
    "combined_report_child": "combined_id, position, child_id",
    "dashboard": "id, collection_id, name, description, available_filters, source_id",
    "dashboard_tile": "dashboard_id, position, tile_type, report_id, x, y, width, height, "
    "configuration",
    "change_counter": "id, value",
}


def everything(container: Container) -> dict[str, list[tuple[Any, ...]]]:
    with container.engine().connect() as connection:
        return {
            table: [
                tuple(row)
                for row in connection.execute(text(f"SELECT {columns} FROM {table} ORDER BY 1, 2"))
            ]
            for table, columns in TABLES.items()
        }


@contextmanager
def fault_before(container: Container, prefix: str, fault: Callable[..., None]) -> Iterator[None]:
    """Runs `fault` just before the first statement that starts with `prefix`."""
    fired: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *_: object) -> None:
        if not fired and begins_with(statement, prefix):
            fired.append(statement)
            fault(conn, cursor, conn.connection.dbapi_connection)

    engine = container.engine()
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert fired, f"no statement began with {prefix}"


def overwrite(container: Container, document: list[Any]) -> list[str | None]:
    items = container.import_entities()(
        "target", lambda: document, ImportOptions(overwrite=True), actor=TESTER
    )
    return [i.action for i in items]


@pytest.mark.parametrize(
    "prefix",
    [
        "UPDATE REPORT ",
        "DELETE FROM COMBINED_REPORT_CHILD ",
        "UPDATE DASHBOARD ",
        "DELETE FROM DASHBOARD_TILE ",
        "INSERT INTO DASHBOARD_TILE ",
    ],
)
def test_a_dropped_connection_mid_overwrite_leaves_the_previous_content(
    container: Container, prefix: str
) -> None:
    prepare(container)
    assert overwrite(container, FIRST) == ["created"] * 5
    before = everything(container)
    with fault_before(container, prefix, drop_the_connection), pytest.raises(Exception):  # noqa: B017, PT011 - the driver's error differs per database
        overwrite(container, EDITED)
    container.engine().dispose()
    assert everything(container) == before
    assert overwrite(container, EDITED) == EDITED_ACTIONS
    assert overwrite(container, EDITED) == ["unchanged"] * 7


def test_a_constraint_violation_mid_overwrite_leaves_the_previous_content(
    container: Container,
) -> None:
    prepare(container)
    overwrite(container, FIRST)
    with container.engine().begin() as connection:
        connection.execute(
            text(
                "INSERT INTO dashboard (id, name, available_filters, created) "
                "VALUES ('taken', 'in the way', '[]', CURRENT_TIMESTAMP)"
            )
        )
    before = everything(container)
    # r3 gets a fresh ID and d3 the taken one: its insert fails after the reports were written.
    container.ids.override(providers.Object(ScriptedIds(["fresh", "taken"])))
    try:
        with pytest.raises(StorageConflict):
            overwrite(container, EDITED)
    finally:
        container.ids.reset_override()
    assert everything(container) == before
    assert overwrite(container, EDITED) == EDITED_ACTIONS


def test_the_database_refuses_a_second_entity_of_one_source_in_a_collection(
    container: Container,
) -> None:
    prepare(container)
    overwrite(container, FIRST)
    with container.engine().connect() as connection:
        with pytest.raises(IntegrityError):
            connection.execute(
                text(
                    "INSERT INTO report (id, collection_id, entity_type, name, data, created, "
                    "source_id) VALUES ('copy', 'target', 'single_process_report', 'Copy', '{}', "
                    "CURRENT_TIMESTAMP, 'r1')"
                )
            )
        connection.rollback()
        # Outside a collection, or without a source, any number may be stored.
        for n in range(2):
            connection.execute(
                text(
                    "INSERT INTO report (id, entity_type, name, data, created, source_id) "
                    f"VALUES ('loose{n}', 'single_process_report', 'L', '{{}}', "
                    "CURRENT_TIMESTAMP, NULL)"
                )
            )
        connection.commit()


def test_a_plain_import_remembers_sources_without_taking_one_twice(container: Container) -> None:
    prepare(container)
    container.import_entities()("target", lambda: FIRST, actor=TESTER)
    container.import_entities()("target", lambda: FIRST, actor=TESTER)
    with container.engine().connect() as connection:
        sources = connection.execute(
            text("SELECT source_id, count(*) FROM report GROUP BY source_id")
        ).all()
    assert {tuple(s) for s in sources} == {("k", 1), ("r1", 1), ("r2", 1), (None, 3)}


def test_an_overwrite_that_changes_nothing_does_not_move_the_change_counter(
    container: Container,
) -> None:
    prepare(container)
    overwrite(container, FIRST)
    before = everything(container)
    assert overwrite(container, FIRST) == ["unchanged"] * 5
    assert everything(container) == before


def test_a_second_copy_of_one_source_is_refused_as_the_imports_own_conflict(
    container: Container,
) -> None:
    prepare(container)
    overwrite(container, FIRST)
    with container.writing_uow() as uow, pytest.raises(OverwriteConflict, match="Retry"):
        uow.reports.add_all([process_report("copy", collection_id="target")], {"copy": "r1"})
    with container.writing_uow() as uow, pytest.raises(OverwriteConflict, match="Retry"):
        uow.dashboards.add_all([dashboard_of("copy", collection_id="target")], {"copy": "d1"})
