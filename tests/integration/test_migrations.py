from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from adapters.sqlmodel import tables  # noqa: F401 - registers the tables
from adapters.sqlmodel.migrate import current_revision, head_revision, upgrade_database
from entrypoints.container import Container


def test_the_migrated_schema_is_the_one_the_tables_describe(container: Container) -> None:
    with container.engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_upgrading_twice_is_harmless_and_lands_at_head(container: Container) -> None:
    upgrade_database(container.engine())
    upgrade_database(container.engine())
    assert current_revision(container.engine()) == head_revision()
