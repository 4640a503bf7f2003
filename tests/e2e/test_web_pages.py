"""The web pages through Litestar's test client: sign-in, what each page shows, escaping,
CSRF refusals, and sessions that end."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import httpx
from litestar import Litestar
from litestar.testing import TestClient
from markupsafe import escape

from entrypoints.asgi import create_app
from entrypoints.container import Container
from tests.conftest import AUTH, TOKEN
from tests.e2e.conftest import SteppingClock

DEMO_COLLECTION = "7d1c0a52-6f4e-4b8e-9a51-3c2f1e0b9d11"
HOSTILE = "<img src=x onerror=alert(1)>"
OTHER_HOST = re.compile(
    r"""(?:src|href|action|srcset|xlink:href)\s*=\s*["']?\s*(?:https?:)?//""", re.I
)


def csrf(client: TestClient[Litestar], path: str = "/sign-in") -> str:
    page = client.get(path)
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def sign_in(client: TestClient[Litestar], token: str = TOKEN) -> httpx.Response:
    return client.post(
        "/sign-in", data={"token": token, "_csrf_token": csrf(client)}, follow_redirects=False
    )


def test_every_page_asks_a_visitor_to_sign_in_first(
    web: TestClient[Litestar],
) -> None:
    for path in ("/", f"/collections/{DEMO_COLLECTION}", "/dashboards/123", "/outside-collections"):
        answer = web.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        back = "" if path == "/" else f"?back={quote(path, safe='')}"
        assert answer.headers["location"] == f"/sign-in{back}"
    form = web.get("/sign-in")
    assert form.status_code == 200
    assert 'label for="token"' in form.text
    assert "Sign out" not in form.text


def test_signing_in_with_the_token_opens_a_strict_http_only_session(
    web: TestClient[Litestar],
) -> None:
    answer = sign_in(web)
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("boardport_session=")
    assert "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower()
    assert "Max-Age=" in cookie
    assert "Secure" not in cookie  # served over plain HTTP here
    assert TOKEN not in cookie
    home = web.get("/")
    assert "Invoice operations" in home.text
    assert TOKEN not in home.text


def test_over_https_the_session_cookie_is_secure(web_container: Container) -> None:
    with TestClient(create_app(web_container), base_url="https://testserver.local") as client:
        answer = sign_in(client)
    assert answer.status_code == 303
    assert "Secure" in answer.headers["set-cookie"]


def test_a_wrong_token_is_refused_and_opens_nothing(
    web: TestClient[Litestar],
) -> None:
    answer = sign_in(web, "not-the-token-at-all")
    assert answer.status_code == 401
    assert "not-the-token-at-all" not in answer.text
    assert web.get("/", follow_redirects=False).status_code == 303


PATH_VALUES = {
    "collection_id": DEMO_COLLECTION,
    "dashboard_id": "456",
    "report_id": "94a7252e-d5c3-45ea-9906-75271cc0cac2",
    "pending_key": "any-key",
    "change_id": "1",
    "number": "1",
}


def page_forms(app: Litestar) -> list[str]:
    """Every path the pages accept a POST on, as the router has them, its parameters filled:
    a form added tomorrow is in this list without anyone writing it down."""
    paths = []
    for route in app.routes:
        if route.path.startswith(("/api/", "/schema")) or "POST" not in route.methods:
            continue
        path = route.path
        for name, value in PATH_VALUES.items():
            path = re.sub(r"\{" + name + r":\w+\}", value, path)
        assert "{" not in path, f"no value for a parameter of {route.path}"
        paths.append(path)
    return paths


def test_every_form_is_known_to_the_csrf_test(signed_in: TestClient[Litestar]) -> None:
    assert set(page_forms(signed_in.app)) >= {
        "/sign-in",
        "/sign-out",
        "/export",
        f"/collections/{DEMO_COLLECTION}/import",
        "/imports/any-key/confirm",
        "/dashboards/456/delete",
        f"/reports/{PATH_VALUES['report_id']}/delete",
        "/dashboards/456/revisions/1/restore",
        f"/reports/{PATH_VALUES['report_id']}/revisions/1/restore",
        "/changes/1/revert-preview",
        "/changes/1/revert",
    }


def test_a_form_without_its_csrf_token_is_refused(
    signed_in: TestClient[Litestar],
) -> None:
    for path in page_forms(signed_in.app):
        answer = signed_in.post(path, data={"token": TOKEN, "dashboard": "456"})
        assert answer.status_code == 403, path
        assert "text/html" in answer.headers["content-type"]
    forged = signed_in.post("/dashboards/456/delete", data={"_csrf_token": "forged"})
    assert forged.status_code == 403
    assert signed_in.get("/dashboards/456").status_code == 200  # still there


def test_a_form_with_another_sessions_token_is_refused(signed_in: TestClient[Litestar]) -> None:
    with TestClient(signed_in.app) as other, TestClient(signed_in.app) as visitor:
        assert sign_in(other).status_code == 303
        foreign = csrf(other, "/")
        anonymous = csrf(visitor)  # a sign-in form's token
    assert foreign != csrf(signed_in, "/")
    for token in (foreign, anonymous):
        for path in page_forms(signed_in.app):
            answer = signed_in.post(path, data={"_csrf_token": token, "token": TOKEN})
            assert answer.status_code == 403, path
    assert signed_in.get("/dashboards/456").status_code == 200


def test_a_sign_in_forms_token_and_cookie_forge_no_signed_in_form(
    signed_in: TestClient[Litestar],
) -> None:
    """The attack of a page on a sibling origin (same site, so SameSite does not help): it
    takes what anyone gets from the sign-in form, sets that cookie in the victim's browser
    and posts the token with the victim's session cookie."""
    with TestClient(signed_in.app) as attacker:  # the same server
        token = csrf(attacker)
        planted = dict(attacker.cookies)
    assert planted  # the pre-session's cookie
    # The victim's browser holds the 8-hour session cookie and nothing else any more.
    session = signed_in.cookies["boardport_session"]
    signed_in.cookies.clear()
    signed_in.cookies.update({"boardport_session": session, **planted, "boardport_csrf": token})
    for path in ("/dashboards/456/delete", "/sign-out", "/export"):
        answer = signed_in.post(
            path, data={"_csrf_token": token, "kind": "dashboards", "dashboard": "456"}
        )
        assert answer.status_code == 403, path
    upload = signed_in.post(
        f"/collections/{DEMO_COLLECTION}/import",
        data={"_csrf_token": token},
        files={"file": ("f.json", b"[]", "application/json")},
    )
    assert upload.status_code == 403
    assert signed_in.get("/dashboards/456").status_code == 200
    assert signed_in.get("/", follow_redirects=False).status_code == 200  # still signed in


def test_signing_in_opens_a_new_session_and_ends_the_sign_in_forms(
    web: TestClient[Litestar],
) -> None:
    form_token = csrf(web)
    answer = web.post(
        "/sign-in", data={"token": TOKEN, "_csrf_token": form_token}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert csrf(web, "/") != form_token
    again = web.post("/sign-out", data={"_csrf_token": form_token}, follow_redirects=False)
    assert again.status_code == 403


def test_an_expired_session_sends_the_visitor_back_to_sign_in(
    signed_in: TestClient[Litestar],
    clock: SteppingClock,
) -> None:
    assert signed_in.get("/").status_code == 200
    clock.current += timedelta(hours=8, seconds=1)
    answer = signed_in.get("/", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in?expired=true"
    assert "session has expired" in signed_in.get("/sign-in?expired=true").text


def test_signing_out_ends_the_session(
    signed_in: TestClient[Litestar],
) -> None:
    answer = signed_in.post(
        "/sign-out", data={"_csrf_token": csrf(signed_in, "/")}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert signed_in.get("/", follow_redirects=False).status_code == 303


def test_the_collections_page_lists_names_and_counts(
    signed_in: TestClient[Litestar],
) -> None:
    page = signed_in.get("/").text
    rows = re.findall(
        r"<tr>\s*<td><a href=\"([^\"]+)\"><bdi>([^<]+)</bdi></a></td>\s*"
        r"<td class=\"num\" data-label=\"Dashboards\">(\d+)</td>\s*"
        r"<td class=\"num\" data-label=\"Reports\">(\d+)</td>",
        page,
    )
    assert (f"/collections/{DEMO_COLLECTION}", "Invoice operations", "2", "6") in rows
    assert ("/outside-collections", "Outside any collection", "2", "3") in rows


def test_a_collection_page_lists_dashboards_and_reports_and_searches_them(
    signed_in: TestClient[Litestar],
) -> None:
    page = signed_in.get(f"/collections/{DEMO_COLLECTION}").text
    assert "Invoice approval overview" in page
    assert "Invoice classification decisions" in page
    assert "Approvals vs. rejections per week" in page
    assert "combined report" in page
    assert "decision report" in page
    assert 'label for="q"' in page
    found = signed_in.get(f"/collections/{DEMO_COLLECTION}", params={"q": "REJECT"}).text
    assert "Invoices rejected per week" in found
    assert "Approvals vs. rejections per week" in found
    assert "Invoices approved per week" not in found
    assert "Invoice approval overview" not in found


def test_a_dashboard_page_draws_its_tiles_on_the_grid(
    signed_in: TestClient[Litestar],
) -> None:
    page = signed_in.get("/dashboards/d43ad74f-b77c-4fc2-9b44-41a5eec07e7e").text
    tiles = re.findall(r'data-kind="(\w+)" data-grid="(\d+) (\d+) (\d+) (\d+)"', page)
    assert ("text", "0", "0", "12", "2") in tiles
    assert ("report", "12", "0", "6", "2") in tiles
    assert ("external", "0", "12", "18", "6") in tiles
    assert len(tiles) == 6
    assert "Invoice approval at a glance" in page  # the text tile's Lexical text
    assert "docs.camunda.io" in page
    assert "variable: amount" in page  # a filter


def test_names_and_texts_are_escaped_everywhere_the_svg_included(
    web_container: Container,
    signed_in: TestClient[Litestar],
) -> None:
    exported = signed_in.post(
        "/api/public/export/dashboard/definition/json", json=["123"], headers=AUTH
    ).json()
    web_container.prepare_for_import()(exported, DEMO_COLLECTION)
    for entity in exported:
        entity["name"] = HOSTILE
    imported = signed_in.post(
        f"/api/public/import?collectionId={DEMO_COLLECTION}", json=exported, headers=AUTH
    ).json()
    dashboard_id = next(i["id"] for i in imported if i["entityType"] == "dashboard")
    for path in (f"/collections/{DEMO_COLLECTION}", f"/dashboards/{dashboard_id}"):
        page = signed_in.get(path).text
        assert HOSTILE not in page, path
        assert "&lt;img src=x onerror=alert(1)&gt;" in page, path
    svg = signed_in.get(f"/dashboards/{dashboard_id}").text.split("<svg", 1)[1].split("</svg>")[0]
    assert "&lt;img" in svg
    assert "<img" not in svg


def test_export_downloads_exactly_what_the_api_answers(
    signed_in: TestClient[Litestar],
) -> None:
    token = csrf(signed_in, "/")
    download = signed_in.post(
        "/export", data={"_csrf_token": token, "kind": "dashboards", "dashboard": ["123", "456"]}
    )
    api = signed_in.post(
        "/api/public/export/dashboard/definition/json", json=["123", "456"], headers=AUTH
    )
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.content == api.content
    reports = signed_in.post(
        "/export",
        data={
            "_csrf_token": token,
            "kind": "reports",
            "report": ["94a7252e-d5c3-45ea-9906-75271cc0cac2"],
        },
    )
    api_reports = signed_in.post(
        "/api/public/export/report/definition/json",
        json=["94a7252e-d5c3-45ea-9906-75271cc0cac2"],
        headers=AUTH,
    )
    assert reports.content == api_reports.content


def test_deleting_a_report_names_the_dashboards_it_leaves_first(
    signed_in: TestClient[Litestar],
) -> None:
    report = "922176a0-1e00-4a3b-9e72-bcb1b35cb491"  # on the overview and in the combined report
    confirm = signed_in.get(f"/reports/{report}/delete").text
    assert "Invoice approval overview" in confirm
    assert "Approvals vs. rejections per week" in confirm
    deleted = signed_in.post(
        f"/reports/{report}/delete",
        data={"_csrf_token": csrf(signed_in, "/")},
        follow_redirects=False,
    )
    assert deleted.status_code == 303
    gone = signed_in.post("/api/public/export/report/definition/json", json=[report], headers=AUTH)
    assert gone.status_code == 404


def exported_dashboard_2(container: Container, client: TestClient[Litestar]) -> bytes:
    """Dashboard 2 as the API exports it, its definitions registered in the demo collection."""
    exported = client.post(
        "/api/public/export/dashboard/definition/json", json=["456"], headers=AUTH
    ).content
    container.prepare_for_import()(json.loads(exported), DEMO_COLLECTION)
    return exported


def upload_for_import(
    client: TestClient[Litestar], token: str, exported: bytes, *, overwrite: bool = False
) -> httpx.Response:
    """The import page's form sent with the file: its dry run."""
    data = {"_csrf_token": token, **({"overwrite": "true"} if overwrite else {})}
    return client.post(
        f"/collections/{DEMO_COLLECTION}/import",
        data=data,
        files={"file": ("dashboard-2.json", exported, "application/json")},
    )


def confirm_path(preview: str) -> str:
    """Where the dry run's page sends its confirmation."""
    path = re.search(r'action="(/imports/[^"]+/confirm)"', preview)
    assert path
    return path.group(1)


def collection_dashboards(client: TestClient[Litestar]) -> list[dict[str, Any]]:
    answer = client.get(f"/api/public/dashboard?collectionId={DEMO_COLLECTION}", headers=AUTH)
    dashboards: list[dict[str, Any]] = answer.json()
    return dashboards


def test_an_import_shows_its_dry_run_then_imports_on_confirm(
    web_container: Container,
    signed_in: TestClient[Litestar],
) -> None:
    exported = exported_dashboard_2(web_container, signed_in)
    token = csrf(signed_in, "/")
    before = collection_dashboards(signed_in)
    preview = upload_for_import(signed_in, token, exported)
    assert preview.status_code == 200
    assert "Dashboard 2" in preview.text
    assert "Data Table: User task count" in preview.text
    assert preview.text.count("will be created") == 2
    assert collection_dashboards(signed_in) == before
    done = signed_in.post(confirm_path(preview.text), data={"_csrf_token": token})
    assert done.status_code == 200
    new_ids = {d["id"] for d in collection_dashboards(signed_in)} - {d["id"] for d in before}
    assert len(new_ids) == 1
    assert new_ids.pop() in done.text
    again = signed_in.post(confirm_path(preview.text), data={"_csrf_token": token})
    assert again.status_code == 410  # kept once, taken once


def test_the_import_pages_import_with_the_cyclic_collector_paused_and_resume_it(
    web_container: Container, signed_in: TestClient[Litestar], collector_at_reads: list[bool]
) -> None:
    exported = exported_dashboard_2(web_container, signed_in)
    token = csrf(signed_in, "/")
    preview = upload_for_import(signed_in, token, exported)
    assert preview.status_code == 200
    # The dry run's read, then the page's own read of the names it lists.
    assert collector_at_reads == [False, True]
    done = signed_in.post(confirm_path(preview.text), data={"_csrf_token": token})
    assert done.status_code == 200
    assert collector_at_reads[2] is False


def test_an_import_error_is_shown_as_the_api_names_it(
    signed_in: TestClient[Litestar],
) -> None:
    bad = b'[{"id": "r1", "exportEntityType": "single_process_report", "name": 5}]'
    preview = signed_in.post(
        f"/collections/{DEMO_COLLECTION}/import",
        data={"_csrf_token": csrf(signed_in, "/")},
        files={"file": ("bad.json", bad, "application/json")},
    )
    api = signed_in.post(
        f"/api/public/import?collectionId={DEMO_COLLECTION}",
        content=bad,
        headers={**AUTH, "Content-Type": "application/json"},
    ).json()
    assert preview.status_code == 400
    assert api["errorCode"] in preview.text
    assert str(escape(api["detailedMessage"])) in preview.text
    assert "/confirm" not in preview.text


def test_pages_load_nothing_from_another_host_and_allow_only_self(
    signed_in: TestClient[Litestar],
) -> None:
    for path in (
        "/",
        f"/collections/{DEMO_COLLECTION}",
        "/dashboards/d43ad74f-b77c-4fc2-9b44-41a5eec07e7e",
        f"/collections/{DEMO_COLLECTION}/import",
        "/sign-in",
    ):
        answer = signed_in.get(path)
        assert answer.status_code == 200
        assert OTHER_HOST.findall(answer.text) == [], path
        assert "<script" not in answer.text
        assert " style=" not in answer.text
        policy = answer.headers["content-security-policy"]
        assert policy.startswith("default-src 'self'")
        assert "unsafe" not in policy


def test_export_for_an_older_release_is_what_the_api_answers_for_it(
    signed_in: TestClient[Litestar],
) -> None:
    page = signed_in.get(f"/collections/{DEMO_COLLECTION}").text
    assert '<option value="3.7">3.7</option>' in page
    assert '<label for="release">' in page
    token = csrf(signed_in, "/")
    form = {"_csrf_token": token, "kind": "dashboards", "dashboard": ["123", "456"]}
    download = signed_in.post("/export", data={**form, "release": "3.7"})
    api = signed_in.post(
        "/api/public/export/dashboard/definition/json?targetVersion=3.7",
        json=["123", "456"],
        headers=AUTH,
    )
    assert download.status_code == api.status_code == 200
    assert download.content == api.content
    assert {e["sourceIndexVersion"] for e in download.json()} == {8, 5}


def test_an_export_the_release_cannot_hold_is_refused_naming_each_loss_and_the_box(
    signed_in: TestClient[Litestar],
) -> None:
    overview = "d43ad74f-b77c-4fc2-9b44-41a5eec07e7e"
    form = {"_csrf_token": csrf(signed_in, "/"), "kind": "dashboards", "dashboard": [overview]}
    refused = signed_in.post("/export", data={**form, "release": "3.7"})
    api = signed_in.post(
        "/api/public/export/dashboard/definition/json?targetVersion=3.7",
        json=[overview],
        headers=AUTH,
    ).json()
    assert refused.status_code == 400
    assert api["errorCode"] in refused.text
    listing = api["detailedMessage"].split(". Add allowLoss=true", 1)[0]
    assert str(escape(listing)) in refused.text  # every entity and loss, in the API's words
    assert "allowLoss" not in refused.text  # the page's way to allow them is its box
    assert "Tick “Write it even if that release cannot hold everything”" in refused.text
    allowed = signed_in.post("/export", data={**form, "release": "3.7", "allow_loss": "true"})
    assert allowed.status_code == 200
    unknown = signed_in.post("/export", data={**form, "release": "2.0"})
    assert unknown.status_code == 400
    assert "3.7" in unknown.text


def test_an_import_with_overwrite_shows_and_does_what_the_import_would(
    web_container: Container,
    signed_in: TestClient[Litestar],
) -> None:
    exported = exported_dashboard_2(web_container, signed_in)
    token = csrf(signed_in, "/")

    def preview(overwrite: bool) -> str:
        answer = upload_for_import(signed_in, token, exported, overwrite=overwrite)
        assert answer.status_code == 200
        return answer.text

    def confirm(page: str) -> None:
        assert signed_in.post(confirm_path(page), data={"_csrf_token": token}).status_code == 200

    def dashboards() -> list[str]:
        return sorted(d["id"] for d in collection_dashboards(signed_in))

    assert 'name="overwrite"' in signed_in.get(f"/collections/{DEMO_COLLECTION}/import").text
    first = preview(overwrite=True)
    assert first.count("will be created") == 2
    confirm(first)
    after_first = dashboards()
    again = preview(overwrite=True)
    assert again.count("unchanged: <code>") == 2
    assert "Nothing would change" in again
    assert "will be created" not in again
    assert "/confirm" not in again  # no button when nothing would change
    assert dashboards() == after_first  # deployed twice, held once
