"""A forged form from a page on a sibling origin, in a real browser. 127.0.0.1 on another port
is the same site, so SameSite=Strict cookies go with the form, and a cookie that page sets
reaches boardport too: only a CSRF token bound to the victim's session stops it."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.browser.test_web_in_browser import DEMO_COLLECTION, register_definitions, sign_in
from tests.system.servers import Server, free_port, stop_process_group

pytestmark = pytest.mark.xdist_group("browser")

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

ATTACK_PAGE = """<!DOCTYPE html>
<html><body>
<form id="forged" method="post" action="{target}">
  <input type="hidden" name="_csrf_token" value="{token}">
</form>
<script>
{cookies}
document.getElementById("forged").submit();
</script>
</body></html>
"""


@pytest.fixture
def attacker_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A second web server, another process on loopback: the attacker's origin."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - the standard library's file server
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url, timeout=1.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url, tmp_path
    finally:
        stop_process_group(process)


def a_dashboard_of_its_own(server: Server) -> str:
    """A copy of dashboard 123 in the demo collection, for this test to (fail to) delete."""
    with server.client() as api:
        exported = api.post("/api/public/export/dashboard/definition/json", json=["123"]).json()
        register_definitions(server, exported)
        imported = api.post(f"/api/public/import?collectionId={DEMO_COLLECTION}", json=exported)
        assert imported.status_code == 200, imported.text
    return str(next(i["id"] for i in imported.json() if i["entityType"] == "dashboard"))


def only_the_session_cookie(context: BrowserContext) -> None:
    """The victim's browser as the attack finds it: signed in (the 8-hour session cookie), and
    no other cookie of boardport's (those last as long as the browser session)."""
    kept = [c for c in context.cookies() if c["name"] == "boardport_session"]
    assert kept
    context.clear_cookies()
    context.add_cookies(kept)  # type: ignore[arg-type]


def test_a_forged_delete_from_a_sibling_origin_is_refused(
    page: Page,
    context: BrowserContext,
    demo_server: Server,
    attacker_site: tuple[str, Path],
) -> None:
    victim = a_dashboard_of_its_own(demo_server)
    # What anyone gets by opening the sign-in form: a token and the cookie it goes with.
    with httpx.Client(base_url=demo_server.url) as attacker:
        form = attacker.get("/sign-in")
        token = form.text.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
        cookies = dict(attacker.cookies)
    assert cookies
    cookies["boardport_csrf"] = token  # the double-submit cookie this test was written against
    planted = "\n".join(f'document.cookie = "{k}={v}; path=/";' for k, v in cookies.items())
    site, folder = attacker_site
    target = f"{demo_server.url}/dashboards/{victim}/delete"
    (folder / "attack.html").write_text(
        ATTACK_PAGE.format(target=target, token=token, cookies=planted), encoding="utf-8"
    )
    sign_in(page, demo_server)
    only_the_session_cookie(context)
    with page.expect_response(target) as answered:
        page.goto(f"{site}/attack.html")
    assert answered.value.status == 403
    page.get_by_role("heading", name="Form refused").wait_for()
    with demo_server.client() as api:
        still = api.post("/api/public/export/dashboard/definition/json", json=[victim])
    assert still.status_code == 200
    page.goto(f"{demo_server.url}/")  # and the victim is still signed in
    page.get_by_role("heading", name="Collections").wait_for()
