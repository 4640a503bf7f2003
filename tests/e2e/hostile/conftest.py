"""Apps for the hostile-input tests: the demo data, the given settings, and server errors
answered as responses (so that a 500 is seen as one, not raised in the test)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from entrypoints.asgi import create_app
from entrypoints.container import build_container
from entrypoints.demo.loader import demo_seed
from entrypoints.settings import Settings
from tests.conftest import TOKEN
from tests.databases import fresh_sqlite
from tests.e2e.importing import Client


def _open_client(stack: ExitStack, database_url: str, **overrides: Any) -> Client:
    container = build_container(
        Settings(database_url=database_url, api_access_token=TOKEN, **overrides)
    )
    stack.callback(container.engine().dispose)
    client: Client = stack.enter_context(
        TestClient(create_app(container), raise_server_exceptions=False)
    )
    container.load_seed()(demo_seed())
    return client


@pytest.fixture
def make_client(database_url: str) -> Iterator[Callable[..., Client]]:
    """Builds an app over the test's database (SQLite or PostgreSQL) with the demo data and
    the given settings."""
    with ExitStack() as stack:
        yield lambda **overrides: _open_client(stack, database_url, **overrides)


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    return fresh_sqlite(sqlite_template, tmp_path)


@pytest.fixture
def make_sqlite_client(sqlite_url: str) -> Iterator[Callable[..., Client]]:
    """The same on SQLite only, for checks that happen before any database is touched."""
    with ExitStack() as stack:
        yield lambda **overrides: _open_client(stack, sqlite_url, **overrides)


@pytest.fixture
def hostile(make_client: Callable[..., Client]) -> Client:
    """The demo data on each database, default settings, server errors as responses."""
    return make_client()


@pytest.fixture
def sqlite_hostile(make_sqlite_client: Callable[..., Client]) -> Client:
    return make_sqlite_client()
