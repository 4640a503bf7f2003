"""A file whose every name is markup, imported through the web pages in a real browser: from
the dry run on, each page shows the names as text and no page grows an image or a dialog."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest

from entrypoints.container import build_container
from entrypoints.settings import Settings
from tests.browser.conftest import Blocked
from tests.browser.test_web_in_browser import sign_in
from tests.conftest import TOKEN
from tests.system.servers import Server

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, Page

# One worker runs the browser tests back to back: one browser, one server, then closed.
pytestmark = pytest.mark.xdist_group("browser")

OVERVIEW = "d43ad74f-b77c-4fc2-9b44-41a5eec07e7e"
COMBINED = "6152382f-f263-404e-bc4d-69430e975662"
COMBINED_CHILD = "922176a0-1e00-4a3b-9e72-bcb1b35cb491"


def hostile(label: str) -> str:
    return f"<img src=x onerror=alert(1)>{label}"


def hostile_collection(server: Server) -> tuple[str, list[dict[str, Any]]]:
    """A collection named like markup, ready for the demo overview's export with every name
    made markup (each told apart by the entity's ID in the file)."""
    with server.client() as api:
        created = api.post("/api/public/collection/create", json={"name": hostile("collection")})
        assert created.status_code == 200, created.text
        exported = api.post("/api/public/export/dashboard/definition/json", json=[OVERVIEW])
        assert exported.status_code == 200, exported.text
    document: list[dict[str, Any]] = exported.json()
    for entity in document:
        entity["name"] = hostile(entity["id"])
    collection_id: str = created.json()["id"]
    # What `boardport definitions from-export --collection` does, on the server's database.
    database = f"sqlite:///{server.log.parent / 'boardport.sqlite3'}"
    container = build_container(Settings(database_url=database, api_access_token=TOKEN))
    try:
        container.prepare_for_import()(json.loads(json.dumps(document)), collection_id)
    finally:
        container.engine().dispose()
    return collection_id, document


def assert_shown_as_text(page: Page, *labels: str) -> None:
    for label in labels:
        assert page.get_by_text(hostile(label)).filter(visible=True).count() > 0, label
    assert page.locator("img").count() == 0


def test_markup_names_show_as_text_from_the_dry_run_to_the_delete_form(
    page: Page, demo_server: Server, blocked: Blocked
) -> None:
    collection_id, document = hostile_collection(demo_server)
    names = [e["id"] for e in document]
    dialogs: list[str] = []

    def note(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", note)
    sign_in(page, demo_server)
    assert_shown_as_text(page, "collection")
    page.goto(f"{demo_server.url}/collections/{collection_id}/import")
    assert_shown_as_text(page, "collection")
    page.get_by_label("Export file (JSON)").set_input_files(
        {
            "name": hostile("file") + ".json",
            "mimeType": "application/json",
            "buffer": json.dumps(document).encode(),
        }
    )
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Import preview").wait_for()
    assert page.get_by_text("will be created").count() == len(names)
    assert_shown_as_text(page, "collection", "file", *names)

    page.get_by_role("button", name=f"Apply: {len(names)} to create").click()
    page.get_by_role("heading", name="Imported into").wait_for()
    assert_shown_as_text(page, "collection", *names)

    page.get_by_role("link", name="Open the collection").click()
    page.get_by_role("heading", name=hostile("collection")).wait_for()
    assert_shown_as_text(page, "collection", *names)

    page.get_by_role("link", name=hostile(OVERVIEW), exact=True).click()
    page.get_by_role("heading", name=hostile(OVERVIEW)).wait_for()
    assert_shown_as_text(page, "collection", OVERVIEW, COMBINED_CHILD)
    assert page.locator("figure.layout svg title", has_text=hostile(OVERVIEW)).count() == 1

    page.goto(f"{demo_server.url}/collections/{collection_id}")
    row = page.locator("tr", has_text=hostile(COMBINED_CHILD))
    row.get_by_role("link", name=re.compile("^Delete")).click()
    page.get_by_role("heading", name="Delete the report").wait_for()
    assert_shown_as_text(page, COMBINED_CHILD, OVERVIEW, COMBINED)
    assert dialogs == []
    assert blocked.urls == []
