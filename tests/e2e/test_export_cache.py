"""Repeated exports come from memory, and never from before a write that committed earlier,
whichever process or machine made it."""

from __future__ import annotations

import httpx
from litestar import Litestar
from litestar.testing import TestClient

from entrypoints.container import Container, build_container
from entrypoints.settings import Settings
from tests.builders.domain import TESTER, dashboard_of
from tests.conftest import AUTH, TOKEN
from tests.e2e.importing import DEMO_OVERVIEW_DASHBOARD
from tests.e2e.test_query_count import counted_statements

DASHBOARDS = "/api/public/export/dashboard/definition/json"
SEED_REPORT = "61ae2232-51e1-4c35-b72c-c7152ba264f9"


def export(client: TestClient[Litestar], ids: list[str]) -> httpx.Response:
    return client.post(DASHBOARDS, json=ids, headers=AUTH)


def test_a_repeated_export_runs_no_query_but_the_change_counter(
    demo_client: TestClient[Litestar], container: Container
) -> None:
    first = export(demo_client, ["123", "456"])
    with counted_statements(container) as statements:
        second = export(demo_client, ["123", "456", "456"])  # the same set, the same key
    assert second.status_code == 200
    assert second.content == export(demo_client, ["123", "456"]).content == first.content
    # The counter is read on a driver connection of its own, below SQLAlchemy's events: a
    # cached answer runs no statement through the engine at all.
    assert statements == []


def test_a_write_by_another_process_is_seen_by_the_next_export(
    demo_client: TestClient[Litestar],
    database_url: str,
) -> None:
    before = export(demo_client, ["123"]).json()
    assert SEED_REPORT in {e["id"] for e in before}
    # Another worker, or another machine: its own container, engine and connections.
    elsewhere = build_container(Settings(database_url=database_url, api_access_token=TOKEN))
    try:
        elsewhere.delete_report()(SEED_REPORT, actor=TESTER)
    finally:
        elsewhere.engine().dispose()
    after = export(demo_client, ["123"]).json()
    assert SEED_REPORT not in {e["id"] for e in after}
    assert SEED_REPORT not in [t["id"] for t in after[-1]["tiles"]]


def test_errors_are_not_cached(demo_client: TestClient[Litestar], container: Container) -> None:
    missing = export(demo_client, ["123", "later"])
    assert missing.status_code == 404
    assert missing.json()["detailedMessage"] == "Could not find dashboards with IDs [later]"
    # The dashboard is created after the 404: the same request must now find it.
    with container.writing_uow() as uow:
        uow.dashboards.add_all([dashboard_of("later", SEED_REPORT)])
        uow.commit()
    found = export(demo_client, ["123", "later"])
    assert found.status_code == 200, found.text
    assert [e["id"] for e in found.json()][-2:] == ["123", "later"]


def test_an_answer_that_lost_something_says_so_every_time_it_is_asked(
    demo_client: TestClient,  # type: ignore[type-arg]
) -> None:
    # The losses travel in a header, which a kept body could not repeat: such an answer is
    # read afresh each time, never kept.
    params = {"targetVersion": "3.7", "allowLoss": "true"}
    asked = [
        demo_client.post(DASHBOARDS, json=[DEMO_OVERVIEW_DASHBOARD], headers=AUTH, params=params)
        for _ in range(3)
    ]
    assert [a.status_code for a in asked] == [200, 200, 200]
    losses = {a.headers.get("X-Boardport-Losses") for a in asked}
    assert len(losses) == 1
    assert None not in losses
    assert len({a.content for a in asked}) == 1
