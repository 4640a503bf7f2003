"""The history pages in Chromium against a real `boardport serve --demo`: the dashboard page's
History section, two revisions compared, a version restored, the collection's changes, and a
revert's preview and result, the conflicted one with "Revert anyway". Each state passes
axe-core with no violation at 1280 and 375 px; docs/web-changes*.png are taken here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.page_checks import check_page
from tests.browser.test_web_in_browser import (
    DEMO_COLLECTION,
    register_definitions,
    sign_in,
)
from tests.system.servers import Server

pytestmark = pytest.mark.xdist_group("browser")

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, Page

NAME = "Rechnungen \u05d7\u05e9\u05d1\u05d5\u05e0\u05d9\u05d5\u05ea <b>Q3</b>"
"""A dashboard name in two directions, with markup that must show as text."""


COPY_SOURCE = "browser history copy"
"""The copies' source label: an overwrite of dashboard 123's file by another test (no label)
must not find them."""


def imported(server: Server, document: list[Any], *, overwrite: bool) -> dict[str, str]:
    """Imports the file into the demo collection: the stored ID of each ID in the file."""
    with server.client() as api:
        answer = api.post(
            "/api/public/import",
            params={
                "collectionId": DEMO_COLLECTION,
                "overwrite": str(overwrite).lower(),
                "source": COPY_SOURCE,
            },
            json=document,
        )
    assert answer.status_code == 200, answer.text
    return {i["sourceId"]: i["id"] for i in answer.json()}


def exported(server: Server, dashboard_id: str) -> list[Any]:
    with server.client() as api:
        answer = api.post("/api/public/export/dashboard/definition/json", json=[dashboard_id])
    assert answer.status_code == 200, answer.text
    document: list[Any] = answer.json()
    return document


def dashboard_name(server: Server, dashboard_id: str) -> str:
    with server.client() as api:
        answer = api.post("/api/public/export/dashboard/definition/json", json=[dashboard_id])
    assert answer.status_code == 200, answer.text
    return str(next(e["name"] for e in answer.json() if e["exportEntityType"] == "dashboard"))


@pytest.fixture
def edited_dashboard(demo_server: Server) -> str:
    """A copy of dashboard 123 in the demo collection (new IDs, its reports copied too; the
    demo's own entities stay as the other browser tests expect them), then the copy renamed
    and its first tile moved by an overwrite: two revisions."""
    document = exported(demo_server, "123")
    register_definitions(demo_server, document)
    copy = imported(demo_server, document, overwrite=False)["123"]
    document = exported(demo_server, copy)
    for entity in document:
        if entity["exportEntityType"] == "dashboard":
            entity["name"] = NAME
            entity["tiles"][0]["position"] = {"x": 12, "y": 8}
    assert imported(demo_server, document, overwrite=True)[copy] == copy
    return copy


def test_the_history_section_compares_and_restores_a_version(
    page: Page, demo_server: Server, edited_dashboard: str
) -> None:
    dialogs: list[str] = []

    def note(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", note)
    sign_in(page, demo_server)
    page.goto(f"{demo_server.url}/dashboards/{edited_dashboard}")
    history = page.locator("section.history")
    history.get_by_role("heading", name="History").wait_for()
    assert history.get_by_text("Revision 2 (current): updated by token").is_visible()
    assert history.get_by_text("Changes from revision 1 to revision 2").is_visible()
    assert history.get_by_role("button", name="Restore this version").count() == 1
    check_page(page, "dashboard page with its history")

    history.get_by_label("From revision").select_option("2")
    history.get_by_label("To revision").select_option("1")
    history.get_by_role("button", name="Show the changes").click()
    page.get_by_role("heading", name="Changes from revision 2 to revision 1").wait_for()
    assert page.locator("ul.diff").get_by_text(NAME).first.is_visible()
    check_page(page, "history page comparing two revisions")

    page.get_by_role("button", name="Restore this version").click()
    page.get_by_role("heading", name="Restored revision 1").wait_for()
    check_page(page, "a version restored")
    assert dashboard_name(demo_server, edited_dashboard) != NAME
    assert dialogs == []


def test_the_changes_page_and_a_revert_preview_then_its_result(
    page: Page, demo_server: Server, edited_dashboard: str
) -> None:
    sign_in(page, demo_server)
    page.goto(f"{demo_server.url}/collections/{DEMO_COLLECTION}")
    page.get_by_role("link", name="Changes", exact=True).click()
    page.get_by_role("heading", name="Changes in Invoice operations").wait_for()
    newest = page.locator("li.change").first
    assert newest.get_by_text("0 created, 1 updated, 0 deleted").is_visible()
    check_page(page, "the changes page", screenshot="web-changes")

    newest.get_by_role("button", name="Revert…").click()
    page.get_by_text("Nothing is written yet").wait_for()
    assert page.get_by_text("will get back its content from before the change").is_visible()
    check_page(page, "a revert's preview")
    assert dashboard_name(demo_server, edited_dashboard) == NAME  # the preview wrote nothing

    page.get_by_role("button", name="Revert this change").click()
    page.get_by_text("Done in one transaction").wait_for()
    check_page(page, "a revert's result")
    assert dashboard_name(demo_server, edited_dashboard) != NAME


def test_a_conflicted_revert_shows_what_changed_later_and_reverts_anyway(
    page: Page, demo_server: Server, edited_dashboard: str
) -> None:
    sign_in(page, demo_server)
    page.goto(f"{demo_server.url}/dashboards/{edited_dashboard}/history")
    page.get_by_role("button", name="Restore this version").click()  # a later change
    page.get_by_role("heading", name="Restored revision 1").wait_for()
    page.goto(f"{demo_server.url}/dashboards/{edited_dashboard}/history")
    page.locator("section.history").get_by_role("link", name="change").nth(1).click()
    page.get_by_role("button", name="Revert…").click()
    page.get_by_role("heading", name="Later changes touched 1 of its entities").wait_for()
    check_page(page, "a conflicted revert's preview")

    page.get_by_role("button", name="Revert anyway").click()
    page.get_by_text("Done in one transaction").wait_for()
    check_page(page, "a forced revert's result")
    assert dashboard_name(demo_server, edited_dashboard) != NAME
