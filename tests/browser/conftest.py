"""A real browser (Debian's `chromium`, driven by Playwright) against a real `boardport serve
--demo`, with the network to every host but 127.0.0.1 cut off. A missing browser skips these
tests with the reason shown, except under CI=true, where it fails."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from tests.databases import unavailable
from tests.system.servers import Server, running_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Route

CHROMIUM = Path(os.environ.get("BOARDPORT_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOOPBACK = "127.0.0.1"


# Package-scoped: Playwright's synchronous API keeps an event loop running in this thread
# while it is open, which no later test outside this package may meet.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        unavailable(f"no browser at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        # Playwright gives each launch a fresh, temporary profile (user-data-dir).
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="package")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`boardport serve --demo` on a new SQLite database, for the whole browser session."""
    folder = tmp_path_factory.mktemp("browser-server")
    with running_server(f"sqlite:///{folder / 'boardport.sqlite3'}", folder, demo=True) as server:
        yield server


@dataclass
class Blocked:
    """Every request the page tried to send to another host (each was aborted)."""

    urls: list[str] = field(default_factory=list)


@pytest.fixture
def blocked() -> Blocked:
    return Blocked()


@pytest.fixture
def context(browser: Browser, blocked: Blocked) -> Iterator[BrowserContext]:
    new_context = browser.new_context(viewport={"width": 1280, "height": 900})

    def only_loopback(route: Route) -> None:
        if urlsplit(route.request.url).hostname == LOOPBACK:
            route.continue_()
        else:
            blocked.urls.append(route.request.url)
            route.abort()

    new_context.route("**/*", only_loopback)
    yield new_context
    new_context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    return opened
