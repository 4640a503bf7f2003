from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy.engine import URL

from adapters.sqlmodel.engine import create_database_engine
from adapters.sqlmodel.migrate import upgrade_database
from entrypoints.container import Container, build_container
from entrypoints.settings import Settings
from tests.databases import (
    fresh_sqlite,
    migrated_sqlite_template,
    postgres_database,
    truncate_all,
    unavailable,
)

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

settings.register_profile(
    "boardport", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.load_profile("boardport")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[URL]:
    """One migrated PostgreSQL database for the whole run, created here and dropped at the end."""
    with postgres_database() as url:
        if url is None:
            unavailable("PostgreSQL is not reachable at BOARDPORT_TEST_POSTGRES_URL")
        assert url is not None
        engine = create_database_engine(url.render_as_string(hide_password=False))
        upgrade_database(engine)
        engine.dispose()
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database of each kind; the same test body runs against both."""
    if request.param == "sqlite":
        yield fresh_sqlite(request.getfixturevalue("sqlite_template"), tmp_path)
        return
    url: URL = request.getfixturevalue("postgres_url")
    truncate_all(url)
    yield url.render_as_string(hide_password=False)
    truncate_all(url)


@pytest.fixture
def container(database_url: str) -> Iterator[Container]:
    built = build_container(Settings(database_url=database_url, api_access_token=TOKEN))
    yield built
    built.engine().dispose()
