from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from adapters.sqlmodel.errors import translated_errors

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


# Any number, as long as it is boardport's alone: the advisory lock serialising migrations.
MIGRATION_LOCK = 0x626F617264706F72  # "boardpor"


def upgrade_database(engine: Engine) -> None:
    """Brings the schema to the newest revision; a no-op when it is there already. Instances
    starting together on one PostgreSQL database take turns: the first migrates, the others
    then find the schema at its newest."""
    config = _config()
    with translated_errors(), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()
