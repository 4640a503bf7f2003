"""What every page state must pass in the browser, at a desktop's width and a phone's: no
accessibility violation that axe-core finds (contrast included), and nothing wider than the
screen (`document.documentElement.scrollWidth`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from axe_playwright_python.sync_playwright import Axe

from tests.optimize_fixtures import REPO_ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Page, ViewportSize

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 375, "height": 812}
WIDTHS = (DESKTOP, PHONE)
SCREENSHOTS = REPO_ROOT / "docs"
_AXE = Axe()
_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"color-contrast": {"enabled": True}},
}


def violations(page: Page) -> list[str]:
    """axe-core's violations on the page as it is now: rule, impact and the first nodes."""
    found = _AXE.run(page, options=_OPTIONS).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + json.dumps([n["target"] for n in v["nodes"][:3]])
        for v in found
    ]


def check_page(page: Page, state: str, *, screenshot: str | None = None) -> None:
    """The page as it is, at 1280 and at 375 px: no axe violation, no sideways scroll. With
    `screenshot`, docs/<screenshot>.png and docs/<screenshot>-375.png are taken."""
    for size in WIDTHS:
        page.set_viewport_size(size)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= size["width"], f"{state} at {size['width']} px is {wide} px wide"
        found = violations(page)
        assert found == [], f"{state} at {size['width']} px: {found}"
        if screenshot is not None:
            suffix = "" if size is DESKTOP else f"-{size['width']}"
            page.screenshot(path=SCREENSHOTS / f"{screenshot}{suffix}.png", full_page=True)
    page.set_viewport_size(DESKTOP)
