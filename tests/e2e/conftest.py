from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from dependency_injector import providers
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, text

from application.ports.clock import Clock
from entrypoints.asgi import create_app
from entrypoints.container import Container, build_container
from entrypoints.demo.loader import demo_seed
from entrypoints.settings import Settings
from entrypoints.wire.import_body import ImportFileReader
from tests.conftest import TOKEN
from tests.databases import fresh_sqlite


@pytest.fixture
def client(container: Container) -> Iterator[TestClient[Litestar]]:
    with TestClient(create_app(container)) as test_client:
        yield test_client


@pytest.fixture
def demo_client(container: Container, client: TestClient[Litestar]) -> TestClient[Litestar]:
    container.load_seed()(demo_seed())
    return client


@pytest.fixture
def serving(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """`boardport serve` on a fresh SQLite database with no token configured, and uvicorn.run
    replaced: what `serve` would have run it with."""
    monkeypatch.setenv("BOARDPORT_DATABASE_URL", fresh_sqlite(sqlite_template, tmp_path))
    for name in ("BOARDPORT_API_ACCESS_TOKEN", "OPTIMIZE_API_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    captured: dict[str, Any] = {}

    def run(app: str, **options: Any) -> None:
        captured.update(options, app=app)

    monkeypatch.setattr(uvicorn, "run", run)
    return captured


@pytest.fixture
def collector_at_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Whether Python's cyclic garbage collector was running each time an import file was
    read, through any entrypoint. It runs when the test starts, and must run again after."""

    def recording(original: Callable[..., Any], seen: list[bool]) -> Callable[..., Any]:
        def read(*args: Any, **kwargs: Any) -> Any:
            seen.append(gc.isenabled())
            return original(*args, **kwargs)

        return read

    seen: list[bool] = []
    for name in ("__call__", "from_file"):
        monkeypatch.setattr(
            ImportFileReader, name, recording(getattr(ImportFileReader, name), seen)
        )
    assert gc.isenabled()
    yield seen
    assert gc.isenabled()


def insert_dangling_tile(engine: Engine, dashboard_id: str, report_id: str) -> None:
    """Writes what boardport itself never writes: a tile naming a report that does not exist."""
    insert = text(
        "INSERT INTO dashboard_tile (dashboard_id, position, tile_type, report_id, x, y, width, "
        "height) VALUES (:d, 99, 'optimize_report', :r, 0, 0, 1, 1)"
    )
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            raw.execute("PRAGMA foreign_keys = OFF")
            raw.execute(
                str(insert).replace(":d", "?").replace(":r", "?"), (dashboard_id, report_id)
            )
            raw.execute("PRAGMA foreign_keys = ON")
        finally:
            raw.close()
        return
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(insert, {"d": dashboard_id, "r": report_id})


# --- the web pages ----------------------------------------------------------------------------


class SteppingClock(Clock):
    def __init__(self) -> None:
        self.current = datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


@pytest.fixture
def web_container(
    sqlite_template: Path, tmp_path: Path, clock: SteppingClock
) -> Iterator[Container]:
    container = build_container(
        Settings(database_url=fresh_sqlite(sqlite_template, tmp_path), api_access_token=TOKEN)
    )
    container.clock.override(providers.Object(clock))
    container.load_seed()(demo_seed())
    yield container
    container.engine().dispose()


@pytest.fixture
def web(web_container: Container) -> Iterator[TestClient[Litestar]]:
    with TestClient(create_app(web_container)) as client:
        yield client


@pytest.fixture
def signed_in(web: TestClient[Litestar]) -> TestClient[Litestar]:
    answer = web_sign_in(web)
    assert answer.status_code == 303
    return web


def web_sign_in(client: TestClient[Litestar], token: str = TOKEN) -> httpx.Response:
    page = client.get("/sign-in")
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return client.post(
        "/sign-in", data={"token": token, "_csrf_token": match.group(1)}, follow_redirects=False
    )
