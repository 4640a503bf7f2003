"""The pages as the issue's user met them: a collection of 1,000 dashboards served by two
`boardport serve` processes on one database (a session opened on one is open on the other), a
sign-in attacked by guessing, and names written right to left. In chromium, checked by axe-core
at 1280 and 375 px."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from entrypoints.container import build_container
from entrypoints.settings import Settings
from tests.browser.page_checks import check_page
from tests.builders.domain import collection, dashboard, process_report, report_tile
from tests.conftest import TOKEN
from tests.system.servers import Server, running_server

pytestmark = pytest.mark.xdist_group("browser")

if TYPE_CHECKING:
    from playwright.sync_api import Page

BIG = "c-big"
DASHBOARDS = 1000
REPORTS = 100
PAGE_BYTES = 100 * 1024
RLO = "\u202e"


def seeded_database(folder: Path) -> str:
    """A database with the collection BIG: 1,000 dashboards `Board 0000` to `Board 0999`, each
    showing one of 100 reports; written through the repositories, in one transaction."""
    url = f"sqlite:///{folder / 'big.sqlite3'}"
    container = build_container(Settings(database_url=url, api_access_token=TOKEN))
    try:
        from adapters.sqlmodel.migrate import upgrade_database  # noqa: PLC0415

        upgrade_database(container.engine())
        with container.writing_uow() as uow:
            uow.collections.add(replace(collection(BIG), name="Invoices at scale"))
            uow.reports.add_all(
                process_report(f"r-{n:03}", name=f"Report {n:03}", collection_id=BIG)
                for n in range(REPORTS)
            )
            uow.dashboards.add_all(
                replace(
                    dashboard(f"d-{n:04}", [report_tile(f"r-{n % REPORTS:03}")], collection_id=BIG),
                    name=f"Board {n:04}",
                )
                for n in range(DASHBOARDS)
            )
            uow.commit()
    finally:
        container.engine().dispose()
    return url


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    """Two `boardport serve` processes, two workers each, on one database."""
    folder = tmp_path_factory.mktemp("scale")
    url = seeded_database(folder)
    with (
        running_server(url, folder, workers=2) as one,
        running_server(url, folder, workers=2) as other,
    ):
        yield one, other


def sign_in(page: Page, server: Server, back: str = "/") -> None:
    page.goto(f"{server.url}{back}")
    page.get_by_label("API token").fill(TOKEN)
    page.get_by_role("button", name="Sign in").click()


def names(page: Page) -> list[str]:
    return page.locator("table.entities td.name").all_inner_texts()


def test_a_session_opened_on_one_server_is_open_on_the_other(
    page: Page, two_servers: tuple[Server, Server]
) -> None:
    one, other = two_servers
    sign_in(page, one, f"/collections/{BIG}")  # and back to the page asked for
    page.get_by_role("heading", name="Invoices at scale").wait_for()
    # Cookies are not kept per port: the browser sends the same session to the other server.
    page.goto(f"{other.url}/collections/{BIG}?type=dashboard&size=20")
    page.get_by_role("heading", name="Invoices at scale").wait_for()
    page.get_by_label("Export dashboard Board 0000").check()
    with page.expect_download() as waiting:  # a form of one server's page, sent to the other
        page.get_by_role("button", name="Export ticked").click()
    exported = json.loads(Path(waiting.value.path()).read_bytes())
    assert [e["id"] for e in exported if e["exportEntityType"] == "dashboard"] == ["d-0000"]
    page.goto(f"{one.url}/")
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{other.url}/collections/{BIG}")
    page.get_by_role("heading", name="Sign in").wait_for()  # signed out on both


def test_a_collection_of_1000_dashboards_pages_filters_and_exports(
    page: Page, two_servers: tuple[Server, Server]
) -> None:
    one, _ = two_servers
    sign_in(page, one, f"/collections/{BIG}")
    page.get_by_role("heading", name="Invoices at scale").wait_for()
    assert len(names(page)) == 50
    assert page.get_by_text(f"{DASHBOARDS + REPORTS} entities match").is_visible()
    widest = page.goto(f"{one.url}/collections/{BIG}?size=100")
    assert widest is not None
    assert len(widest.body()) <= PAGE_BYTES
    check_page(page, "a page of 100 of 1,100 entities")

    page.get_by_label("Search by name").fill("board 07")
    page.get_by_label("Type").select_option("dashboard")
    page.get_by_label("Per page").select_option("50")
    page.get_by_role("button", name="Show").click()
    page.get_by_text("100 entities match").wait_for()
    assert names(page)[:2] == ["Board 0700", "Board 0701"]
    page.get_by_role("link", name="Next").click()
    expect(page.locator("table.entities td.name").first).to_have_text("Board 0750")
    assert names(page) == [f"Board {n:04}" for n in range(750, 800)]
    assert page.get_by_role("link", name="Next").count() == 0
    page.get_by_role("link", name="Name").click()  # sorted by name: the same, ascending
    page.wait_for_url("**sort=name**")
    page.get_by_role("link", name="Name").click()  # again: descending
    expect(page.locator("table.entities td.name").first).to_have_text("Board 0799")

    page.goto(f"{one.url}/collections/{BIG}?type=dashboard&page=20")
    assert names(page)[-1] == "Board 0999"
    page.get_by_role("link", name="Select all on this page").click()
    expect(page.locator("input[name=dashboard]:checked")).to_have_count(50)
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Export ticked").click()
    ticked = json.loads(Path(waiting.value.path()).read_bytes())
    assert sum(1 for e in ticked if e["exportEntityType"] == "dashboard") == 50
    page.goto(f"{one.url}/collections/{BIG}?q=Board+09&type=dashboard")
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Export all 100 matching").click()
    matching = json.loads(Path(waiting.value.path()).read_bytes())
    boards = sorted(e["name"] for e in matching if e["exportEntityType"] == "dashboard")
    assert boards == [f"Board {n:04}" for n in range(900, 1000)]


def test_guessing_the_token_is_throttled(page: Page, tmp_path: Path) -> None:
    with running_server(f"sqlite:///{tmp_path / 'throttle.sqlite3'}", tmp_path) as server:
        page.goto(f"{server.url}/sign-in")
        statuses = []
        for attempt in range(5):
            page.get_by_label("API token").fill(f"guess-number-{attempt}")
            with page.expect_response(f"{server.url}/sign-in") as answered:
                page.get_by_role("button", name="Sign in").click()
            statuses.append(answered.value.status)
        assert statuses == [401, 401, 401, 401, 429]
        assert answered.value.headers["retry-after"] == "60"
        page.get_by_role("heading", name="Too many attempts").wait_for()
        assert page.get_by_text("Try again in 1 minute").is_visible()
        check_page(page, "a throttled sign-in")
        log = server.log.read_text()
    assert "guess-number" not in log
    assert TOKEN not in log


def test_a_name_written_right_to_left_turns_nothing_around_it(
    page: Page, two_servers: tuple[Server, Server]
) -> None:
    one, _ = two_servers
    with one.client() as api:
        created = api.post("/api/public/collection/create", json={"name": f"{RLO}Right left"})
        assert created.status_code == 200, created.text
        target = created.json()["id"]
        exported = api.post("/api/public/export/dashboard/definition/json", json=["d-0001"]).json()
        for entity in exported:
            entity["name"] = f"{RLO}Reversed {entity['exportEntityType']}"
        imported = api.post(f"/api/public/import?collectionId={target}&prepare=true", json=exported)
        assert imported.status_code == 200, imported.text
    board = next(i["id"] for i in imported.json() if i["entityType"] == "dashboard")
    sign_in(page, one, f"/dashboards/{board}")
    page.locator("h1 bdi").wait_for()
    crumb, after = page.locator(".crumbs bdi"), page.locator(".crumbs span[aria-hidden]").last
    crumb_box, after_box = crumb.bounding_box(), after.bounding_box()
    assert crumb_box is not None
    assert after_box is not None
    # Isolated, the name turns around inside itself only: the separator after it stays after it.
    assert after_box["x"] >= crumb_box["x"] + crumb_box["width"] - 1
    labels = page.locator("figure.layout svg text").all_text_contents()
    assert any(re.match("\u2068\u202eReversed", label) for label in labels)
    check_page(page, "a dashboard named right to left")
