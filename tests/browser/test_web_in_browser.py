"""The web pages in a real browser against a real `boardport serve --demo` (the screenshots
in docs/ are taken by test_every_page_state.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from domain.json_document import JsonValue
from entrypoints.container import build_container
from entrypoints.settings import Settings
from tests.browser.conftest import Blocked
from tests.conftest import TOKEN
from tests.optimize_fixtures import fixtures_dir, load_fixture
from tests.system.servers import Server

# One worker runs the browser tests back to back: one browser, one server, then closed.
pytestmark = pytest.mark.xdist_group("browser")

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, Page, ViewportSize

DEMO_COLLECTION = "7d1c0a52-6f4e-4b8e-9a51-3c2f1e0b9d11"
OVERVIEW = "d43ad74f-b77c-4fc2-9b44-41a5eec07e7e"
HOSTILE = "<img src=x onerror=alert(1)>"
FIXTURE = "kh-c8-sm84-9reports-2dashboards-text-tiles.json"
PHONE: ViewportSize = {"width": 375, "height": 812}


def sign_in(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/")
    page.get_by_label("API token").fill(TOKEN)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Collections").wait_for()


def register_definitions(server: Server, document: JsonValue) -> None:
    """What `boardport definitions from-export --collection` does, in this process, on the
    server's own database."""
    database = f"sqlite:///{server.log.parent / 'boardport.sqlite3'}"
    container = build_container(Settings(database_url=database, api_access_token=TOKEN))
    try:
        container.prepare_for_import()(document, DEMO_COLLECTION)
    finally:
        container.engine().dispose()


def test_signing_in_and_opening_the_demo_collection(
    page: Page, demo_server: Server, blocked: Blocked
) -> None:
    sign_in(page, demo_server)
    page.get_by_role("link", name="Invoice operations").click()
    page.get_by_role("heading", name="Invoice operations").wait_for()
    assert page.get_by_role("link", name="Invoice approval overview", exact=True).is_visible()
    assert page.get_by_text("Approvals vs. rejections per week").is_visible()
    page.get_by_label("Search by name").fill("decision")
    page.get_by_label("Search by name").press("Enter")
    page.get_by_role("link", name="Invoice classification decisions", exact=True).wait_for()
    assert page.get_by_role("link", name="Invoice approval overview", exact=True).count() == 0
    assert blocked.urls == []


def test_dashboard_123_draws_its_two_report_tiles_where_the_grid_puts_them(
    page: Page, demo_server: Server, blocked: Blocked
) -> None:
    sign_in(page, demo_server)
    page.goto(f"{demo_server.url}/dashboards/123")
    svg = page.locator("figure.layout svg")
    tiles = svg.locator("g.tile-report")
    assert tiles.count() == 2
    box = svg.bounding_box()
    assert box is not None
    cell = box["width"] / 18
    # Tiles as the export has them: (x, y, width, height) in grid cells.
    for index, (x, y, width, height, name) in enumerate(
        [
            (0, 0, 6, 4, "Number: Process instance duration"),
            (6, 0, 12, 8, "Heatmap: Flownode count"),
        ]
    ):
        rect = tiles.nth(index).locator("rect").bounding_box()
        assert rect is not None
        assert abs(rect["x"] - (box["x"] + x * cell)) < cell / 4
        assert abs(rect["y"] - (box["y"] + y * cell)) < cell / 4
        assert abs(rect["width"] - width * cell) < cell / 3
        assert abs(rect["height"] - height * cell) < cell / 3
        assert name.split(":")[0] in (tiles.nth(index).text_content() or "")
    assert blocked.urls == []


def test_the_dashboard_page_at_phone_width(page: Page, demo_server: Server) -> None:
    sign_in(page, demo_server)
    page.set_viewport_size(PHONE)
    page.goto(f"{demo_server.url}/dashboards/{OVERVIEW}")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"


def test_the_export_download_is_the_apis_answer_byte_for_byte(
    page: Page, demo_server: Server, tmp_path: Path
) -> None:
    sign_in(page, demo_server)
    page.goto(f"{demo_server.url}/outside-collections")
    page.get_by_label("Export dashboard Dashboard 1").check()
    page.get_by_label("Export dashboard Dashboard 2").check()
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Export ticked").click()
    downloaded = tmp_path / "export.json"
    waiting.value.save_as(downloaded)
    with demo_server.client() as api:
        answer = api.post("/api/public/export/dashboard/definition/json", json=["123", "456"])
    assert answer.status_code == 200
    assert downloaded.read_bytes() == answer.content


def test_a_real_optimize_file_imports_through_the_dry_run_and_the_confirm(
    page: Page, demo_server: Server, blocked: Blocked
) -> None:
    register_definitions(demo_server, load_fixture(FIXTURE))
    with demo_server.client() as api:
        before = {
            d["id"] for d in api.get(f"/api/public/dashboard?collectionId={DEMO_COLLECTION}").json()
        }
    sign_in(page, demo_server)
    page.goto(f"{demo_server.url}/collections/{DEMO_COLLECTION}")
    page.get_by_role("link", name="Import a file into this collection").click()
    page.get_by_label("Export file (JSON)").set_input_files(fixtures_dir() / FIXTURE)
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Import preview").wait_for()
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 11  # 9 reports, 2 dashboards
    assert page.get_by_text("will be created").count() == 11
    with demo_server.client() as api:
        unchanged = {
            d["id"] for d in api.get(f"/api/public/dashboard?collectionId={DEMO_COLLECTION}").json()
        }
    assert unchanged == before  # the dry run wrote nothing
    page.get_by_role("button", name="Apply: 11 to create, 0 to update, 0 unchanged").click()
    page.get_by_role("heading", name="Imported into").wait_for()
    with demo_server.client() as api:
        after = {
            d["id"] for d in api.get(f"/api/public/dashboard?collectionId={DEMO_COLLECTION}").json()
        }
    created = after - before
    assert len(created) == 2
    for new_id in created:
        assert page.get_by_text(new_id).is_visible()
    assert blocked.urls == []


def test_a_dashboard_named_like_markup_shows_as_text(page: Page, demo_server: Server) -> None:
    with demo_server.client() as api:
        exported = api.post("/api/public/export/dashboard/definition/json", json=["123"]).json()
        register_definitions(demo_server, exported)
        for entity in exported:
            if entity["exportEntityType"] == "dashboard":
                entity["name"] = HOSTILE
        imported = api.post(f"/api/public/import?collectionId={DEMO_COLLECTION}", json=exported)
        assert imported.status_code == 200, imported.text
    dashboard_id = next(i["id"] for i in imported.json() if i["entityType"] == "dashboard")
    dialogs: list[str] = []

    def note(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", note)
    sign_in(page, demo_server)
    for path in (f"/collections/{DEMO_COLLECTION}", f"/dashboards/{dashboard_id}"):
        page.goto(f"{demo_server.url}{path}")
        assert page.get_by_text(HOSTILE).first.is_visible()
        assert page.locator("main img").count() == 0
    assert dialogs == []


def test_the_token_is_in_no_log_line_of_the_server(demo_server: Server) -> None:
    assert TOKEN not in demo_server.log.read_text()
