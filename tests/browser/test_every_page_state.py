"""Every page state of the site, at 1280 and at 375 px, in chromium: axe-core finds nothing
(contrast included) and nothing is wider than the screen. The screenshots in docs/ are taken
here."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.browser.page_checks import PHONE, check_page
from tests.browser.test_web_in_browser import DEMO_COLLECTION, OVERVIEW, register_definitions
from tests.conftest import TOKEN
from tests.system.servers import Server

pytestmark = pytest.mark.xdist_group("browser")

if TYPE_CHECKING:
    from playwright.sync_api import Page

COMBINED = "6152382f-f263-404e-bc4d-69430e975662"
SINGLE_REPORT = "61ae2232-51e1-4c35-b72c-c7152ba264f9"


def signed_in(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/sign-in")
    check_page(page, "the sign-in form")
    page.get_by_label("API token").fill("not the token")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").wait_for()
    check_page(page, "the sign-in form, refused")
    page.get_by_label("API token").fill(TOKEN)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Collections").wait_for()


def test_the_browsing_pages_pass_axe_and_fit_a_phone(page: Page, demo_server: Server) -> None:
    url = demo_server.url
    signed_in(page, demo_server)
    check_page(page, "the collections")
    page.goto(f"{url}/collections/{DEMO_COLLECTION}")
    check_page(page, "a collection", screenshot="web-collection")
    page.goto(f"{url}/collections/{DEMO_COLLECTION}?q=nothing+like+it")
    page.get_by_text("Nothing matches").wait_for()
    check_page(page, "a search that finds nothing")
    page.goto(f"{url}/collections/{DEMO_COLLECTION}?type=combined&sort=type&order=desc&size=20")
    check_page(page, "a collection filtered and sorted")
    page.goto(f"{url}/outside-collections?select=page")
    assert page.locator("input[name=dashboard]:checked").count() == 2
    check_page(page, "outside collections, every box ticked")
    page.goto(f"{url}/dashboards/{OVERVIEW}")
    check_page(page, "a dashboard", screenshot="web-dashboard")
    page.goto(f"{url}/reports/{COMBINED}")
    check_page(page, "a combined report")
    page.goto(f"{url}/reports/{SINGLE_REPORT}")
    check_page(page, "a report", screenshot="web-report")
    page.goto(f"{url}/reports/{SINGLE_REPORT}/delete")
    check_page(page, "a report's delete form")
    page.goto(f"{url}/dashboards/123/delete")
    check_page(page, "a dashboard's delete form")


def test_the_dashboard_drawing_stays_readable_on_a_phone(page: Page, demo_server: Server) -> None:
    signed_in(page, demo_server)
    page.set_viewport_size(PHONE)
    page.goto(f"{demo_server.url}/dashboards/{OVERVIEW}")
    label_px = page.evaluate(
        "(() => { const svg = document.querySelector('figure.layout svg');"
        " return svg.getScreenCTM().a * Number(svg.getAttribute('font-size')); })()"
    )
    assert label_px >= 12
    drawing = page.locator("figure.layout .drawing")
    assert drawing.evaluate("e => e.scrollWidth > e.clientWidth")  # it scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Each report tile opens its report.
    page.locator("figure.layout svg a").first.click()
    page.get_by_role("heading", name="Used by").wait_for()


def test_the_import_and_export_pages_pass_axe_and_fit_a_phone(
    page: Page, demo_server: Server
) -> None:
    url = demo_server.url
    with demo_server.client() as api:
        exported = api.post("/api/public/export/dashboard/definition/json", json=["123"]).json()
    register_definitions(demo_server, exported)
    # IDs of its own: another test may have imported dashboard 123's file into the collection,
    # and an overwrite would then find that copy, where this one means to create.
    exported = json.loads(
        re.sub(r'"(123|[0-9a-f-]{36})"', r'"\1-every-state"', json.dumps(exported))
    )
    signed_in(page, demo_server)
    page.goto(f"{url}/collections/{DEMO_COLLECTION}/import")
    check_page(page, "the import form")
    page.get_by_label("Export file (JSON)").set_input_files(
        {
            "name": "dashboard-123.json",
            "mimeType": "application/json",
            "buffer": json.dumps(exported).encode(),
        }
    )
    page.get_by_label("Overwrite: update").check()
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Import preview").wait_for()
    check_page(page, "an import's dry run", screenshot="web-import-preview")
    page.get_by_role("button", name=re.compile(r"^Apply: \d+ to create")).click()
    page.get_by_role("heading", name="Imported into").wait_for()
    check_page(page, "an import's result")

    page.goto(f"{url}/dashboards/{OVERVIEW}")
    page.get_by_label("Optimize release").select_option("3.7")
    page.get_by_role("button", name="Export this dashboard").click()
    page.get_by_role("heading", name="The export was refused").wait_for()
    assert page.get_by_text("Tick “Write it even if").is_visible()
    check_page(page, "an export the release cannot hold")
    page.go_back()
    page.get_by_label("Optimize release").select_option("3.7")
    page.get_by_label("Write it even if").check()
    page.get_by_role("button", name="Export this dashboard").click()
    page.get_by_role("heading", name="What the export for release 3.7 loses").wait_for()
    check_page(page, "what an export loses")
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Download it without these").click()
    assert waiting.value.suggested_filename == "boardport-dashboards.json"


def test_the_error_pages_are_pages_of_the_site(page: Page, demo_server: Server) -> None:
    url = demo_server.url
    signed_in(page, demo_server)
    for path, status, heading in (
        ("/no-such-page", 404, "Not found"),
        ("/collections/", 404, "Not found"),
        (f"/collections/{DEMO_COLLECTION}?size=7", 400, "That did not work"),
        ("/export", 405, "Not a page to open"),
        ("/sign-out", 405, "Not a page to open"),
    ):
        answer = page.goto(f"{url}{path}")
        assert answer is not None
        assert answer.status == status, path
        page.get_by_role("heading", name=heading).wait_for()
        assert page.get_by_role("button", name="Sign out").is_visible()  # the site's frame
        check_page(page, f"the {status} page of {path}")
    page.goto(f"{url}/outside-collections")
    with page.expect_response(f"{url}/export") as answered:
        page.get_by_role("button", name="Export ticked").click()
    assert answered.value.status == 400
    page.get_by_role("heading", name="Nothing to export").wait_for()
    check_page(page, "an export of nothing")
    page.goto(f"{url}/outside-collections")
    page.locator("form.sign-out input[name=_csrf_token]").evaluate("e => e.value = 'forged'")
    with page.expect_response(f"{url}/sign-out") as answered:
        page.get_by_role("button", name="Sign out").click()
    assert answered.value.status == 403
    page.get_by_role("heading", name="Form refused").wait_for()
    check_page(page, "a refused form")


def another_sessions_token(server: Server) -> str:
    """The CSRF token of a session of someone else, signed in too."""
    with httpx.Client(base_url=server.url) as other:
        form = other.get("/sign-in").text
        token = form.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
        other.post("/sign-in", data={"token": TOKEN, "_csrf_token": token})
        page = other.get("/").text
    return page.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]


def test_every_form_refuses_no_token_and_another_sessions_token(
    page: Page, demo_server: Server
) -> None:
    url = demo_server.url
    foreign = another_sessions_token(demo_server)
    with demo_server.client() as api:
        exported = api.post("/api/public/export/dashboard/definition/json", json=["456"]).json()
    register_definitions(demo_server, exported)

    def dry_run() -> None:
        page.goto(f"{url}/collections/{DEMO_COLLECTION}/import")
        page.get_by_label("Export file (JSON)").set_input_files(
            {
                "name": "456.json",
                "mimeType": "application/json",
                "buffer": json.dumps(exported).encode(),
            }
        )
        page.get_by_role("button", name="Check the file").click()
        page.get_by_role("heading", name="Import preview").wait_for()

    def opening(path: str) -> Callable[[], None]:
        def open_page() -> None:
            page.goto(f"{url}{path}")

        return open_page

    signed_in(page, demo_server)
    tried: set[str] = set()
    for open_page in (
        dry_run,  # its confirm form
        opening(f"/collections/{DEMO_COLLECTION}"),
        opening(f"/collections/{DEMO_COLLECTION}/import"),
        opening(f"/dashboards/{OVERVIEW}"),
        opening(f"/reports/{SINGLE_REPORT}"),
        opening(f"/reports/{SINGLE_REPORT}/delete"),
        opening("/dashboards/456/delete"),
    ):
        open_page()
        count = page.locator("form[method=post]").count()
        for index in range(count):
            for token in ("", foreign):
                open_page()
                form = page.locator("form[method=post]").nth(index)
                action = form.get_attribute("action") or page.url
                form.locator("input[name=_csrf_token]").evaluate("(e, t) => e.value = t", token)
                with page.expect_response(lambda r: r.request.method == "POST") as answered:
                    form.evaluate("f => f.submit()")
                assert answered.value.status == 403, (page.url, action, token == foreign)
                page.get_by_role("heading", name="Form refused").wait_for()
                tried.add(action)
    assert {"/sign-out", "/export"} <= tried
    assert any(a.endswith("/confirm") for a in tried)
    assert any(a.endswith("/import") for a in tried)
    with demo_server.client() as api:
        still = api.post("/api/public/export/dashboard/definition/json", json=["456"])
    assert still.status_code == 200  # nothing was deleted


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two `rgb(r, g, b)` colours."""

    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_focus_ring_stands_out_3_to_1_on_the_page_and_on_the_header(
    page: Page, demo_server: Server
) -> None:
    signed_in(page, demo_server)
    page.goto(f"{demo_server.url}/collections/{DEMO_COLLECTION}")
    for focused, behind in (
        ("main a", "body"),
        ("header .sign-out button", "header.bar"),
    ):
        page.locator(focused).first.focus()
        page.keyboard.press("Shift+Tab")  # focus by keyboard, so :focus-visible applies
        page.keyboard.press("Tab")
        ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
        background = page.evaluate(
            f"getComputedStyle(document.querySelector('{behind}')).backgroundColor"
        )
        assert contrast(ring, background) >= 3, (focused, ring, background)
