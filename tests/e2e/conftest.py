from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, text

from entrypoints.container import Container
from entrypoints.demo.loader import demo_seed
from entrypoints.http.app import create_app


@pytest.fixture
def client(container: Container) -> Iterator[TestClient[Litestar]]:
    with TestClient(create_app(container)) as test_client:
        yield test_client


@pytest.fixture
def demo_client(container: Container, client: TestClient[Litestar]) -> TestClient[Litestar]:
    container.load_seed()(demo_seed())
    return client


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
