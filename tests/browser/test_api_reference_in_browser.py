from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import Blocked
from tests.system.servers import Server

# One worker runs the browser tests back to back: one browser, one server, then closed.
pytestmark = pytest.mark.xdist_group("browser")

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page


def test_the_api_reference_renders_its_operations_with_every_other_host_cut_off(
    page: Page, demo_server: Server, blocked: Blocked
) -> None:
    refused: list[str] = []

    def note_csp_refusals(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", note_csp_refusals)
    page.goto(f"{demo_server.url}/schema")
    operation = page.get_by_text("exportDashboardDefinitions", exact=True).first
    operation.wait_for(state="visible")
    assert operation.is_visible()
    assert page.locator(".opblock").count() >= 15
    assert blocked.urls == []
    assert refused == []
