from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import SQLModel

from adapters.sqlmodel import tables  # noqa: F401 - registers the tables
from adapters.sqlmodel.engine import create_database_engine
from adapters.sqlmodel.migrate import current_revision, head_revision, upgrade_database
from entrypoints.container import Container
from tests.databases import TABLES, postgres_database, unavailable


def test_the_migrated_schema_is_the_one_the_tables_describe(container: Container) -> None:
    with container.engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_upgrading_twice_is_harmless_and_lands_at_head(container: Container) -> None:
    upgrade_database(container.engine())
    upgrade_database(container.engine())
    assert current_revision(container.engine()) == head_revision()


@pytest.mark.postgres
def test_instances_starting_together_on_postgresql_take_turns_migrating() -> None:
    with postgres_database("boardport_migrate") as url:
        if url is None:
            unavailable("PostgreSQL is not reachable at BOARDPORT_TEST_POSTGRES_URL")
        assert url is not None
        engines = [
            create_database_engine(url.render_as_string(hide_password=False)) for _ in range(3)
        ]
        start = threading.Barrier(len(engines))
        failures: list[BaseException] = []

        def migrate(engine: Engine) -> None:
            start.wait()
            try:
                upgrade_database(engine)
            except BaseException as error:  # noqa: BLE001 - the test reports any failure
                failures.append(error)

        threads = [threading.Thread(target=migrate, args=(e,), daemon=True) for e in engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        try:
            assert not any(t.is_alive() for t in threads), "a migration is stuck behind another"
            assert failures == []
            assert current_revision(engines[0]) == head_revision()
        finally:
            for engine in engines:
                engine.dispose()


def test_every_table_of_the_schema_is_emptied_between_tests() -> None:
    """The PostgreSQL database is shared by a run's tests and emptied between them: a table
    missing from the list would carry one test's rows into the next."""
    kept = {"change_counter"}  # one row, reset to zero instead
    assert set(SQLModel.metadata.tables) - kept == set(TABLES)
