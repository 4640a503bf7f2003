"""An export reads a bounded number of statements, whatever the number of dashboards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import event

from application.use_cases.load_seed import Seed
from entrypoints.container import Container
from tests.builders.domain import combined_report, dashboard, process_report, report_tile, text_tile
from tests.conftest import AUTH


def world(dashboards: int) -> Seed:
    reports = []
    boards = []
    for n in range(dashboards):
        singles = [process_report(f"r{n}-{i}") for i in range(4)]
        combined = combined_report(f"k{n}", [singles[2].id, singles[3].id])
        reports += [*singles, combined]
        tiles = [text_tile(), report_tile(singles[0].id), report_tile(singles[1].id)]
        boards.append(dashboard(f"d{n}", [*tiles, report_tile(combined.id)]))
    return Seed(reports=tuple(reports), dashboards=tuple(boards))


@contextmanager
def counted_statements(container: Container) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    engine = container.engine()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def export_statements(container: Container, client: TestClient[Litestar], ids: list[str]) -> int:
    with counted_statements(container) as statements:
        response = client.post(
            "/api/public/export/dashboard/definition/json", json=ids, headers=AUTH
        )
    assert response.status_code == 200
    return len(statements)


def test_exporting_fifty_dashboards_takes_as_many_statements_as_exporting_one(
    container: Container,
    client: TestClient[Litestar],
) -> None:
    container.load_seed()(world(50))
    one = export_statements(container, client, ["d0"])
    fifty = export_statements(container, client, [f"d{n}" for n in range(50)])
    assert fifty == one
    # The change counter, BEGIN (SQLite only), dashboards, their tiles, the tiles' reports, the
    # combined reports' child links, then the children themselves.
    assert one <= 7
