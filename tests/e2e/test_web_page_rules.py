"""The pages' rules of issue 23 through Litestar's test client: error pages in the site's frame
(the API keeps its JSON), no-store on everything signed in, names isolated in direction, the
collection page a page at a time, exports of nothing or of both kinds at once, the report page,
the throttled sign-in, and the way back after signing in."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from datetime import timedelta
from urllib.parse import quote

import pytest
from dependency_injector import providers
from litestar import Litestar
from litestar.testing import TestClient

from application.use_cases.browse_collections import BrowseCollections, CollectionCount
from entrypoints.asgi import create_app
from entrypoints.container import Container, build_container
from tests.conftest import AUTH, TOKEN
from tests.e2e.conftest import SteppingClock
from tests.e2e.test_web_pages import (
    DEMO_COLLECTION,
    collection_dashboards,
    confirm_path,
    csrf,
    exported_dashboard_2,
    sign_in,
    upload_for_import,
)

SINGLE_REPORT = "61ae2232-51e1-4c35-b72c-c7152ba264f9"
COMBINED = "6152382f-f263-404e-bc4d-69430e975662"
OVERVIEW = "d43ad74f-b77c-4fc2-9b44-41a5eec07e7e"
RLO = "\u202e"


def heading(page: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", page, re.S)
    assert match, page
    return match.group(1)


def test_every_error_off_the_api_is_a_page_of_the_site_and_the_api_keeps_its_json(
    signed_in: TestClient[Litestar],
) -> None:
    for method, path, status, words in (
        ("GET", "/no-such-page", 404, "Not found"),
        ("GET", "/collections/", 404, "Not found"),
        ("GET", "/collections/nope", 404, "Not found"),
        ("GET", "/export", 405, "Not a page to open"),
        ("GET", "/sign-out", 405, "Not a page to open"),
        ("GET", f"/collections/{DEMO_COLLECTION}?size=7", 400, "That did not work"),
        ("GET", f"/collections/{DEMO_COLLECTION}?type=folder", 400, "That did not work"),
    ):
        answer = signed_in.request(method, path)
        assert answer.status_code == status, path
        assert answer.headers["content-type"].startswith("text/html"), path
        assert heading(answer.text) == words, path
        assert "Sign out" in answer.text, path  # the site's frame, with the visitor's header
    api = signed_in.get("/api/public/no-such", headers=AUTH)
    assert api.status_code == 404
    assert api.json()["errorCode"] == "notFoundError"
    assert signed_in.get("/api/public/import", headers=AUTH).json()["errorCode"]


def test_a_file_too_large_gets_a_page_naming_the_limit(web_container: Container) -> None:
    small = build_container(replace(web_container.settings(), max_body_bytes=4096))
    try:
        with TestClient(create_app(small)) as client:
            assert sign_in(client).status_code == 303
            answer = client.post(
                f"/collections/{DEMO_COLLECTION}/import",
                data={"_csrf_token": csrf(client, "/")},
                files={"file": ("big.json", b"[" + b" " * 8000 + b"]")},
            )
    finally:
        small.engine().dispose()
    assert answer.status_code == 413
    assert heading(answer.text) == "The file is too large"
    assert "at most 4,096 bytes" in answer.text
    assert "BOARDPORT_MAX_BODY_BYTES" in answer.text
    assert "Sign out" in answer.text


def test_an_unexpected_failure_of_a_page_is_a_500_page_that_says_nothing_of_it(
    web_container: Container, signed_in: TestClient[Litestar], caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(BrowseCollections):
        def __call__(self) -> list[CollectionCount]:
            raise RuntimeError("the secret cause")

    web_container.browse_collections.override(providers.Object(Broken(web_container.reading_uow())))
    with caplog.at_level(logging.ERROR):
        answer = signed_in.get("/")
    web_container.browse_collections.reset_override()
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("text/html")
    assert heading(answer.text) == "Something went wrong"
    assert "secret cause" not in answer.text
    assert "the secret cause" in caplog.text


def test_every_signed_in_page_and_download_is_no_store(signed_in: TestClient[Litestar]) -> None:
    token = csrf(signed_in, "/")
    for path in (
        "/",
        f"/collections/{DEMO_COLLECTION}",
        "/outside-collections",
        "/dashboards/123",
        f"/reports/{SINGLE_REPORT}",
        f"/reports/{SINGLE_REPORT}/delete",
        f"/collections/{DEMO_COLLECTION}/import",
        "/no-such-page",
    ):
        answer = signed_in.get(path)
        assert answer.headers["cache-control"] == "no-store", path
    download = signed_in.post("/export", data={"_csrf_token": token, "dashboard": "123"})
    assert download.status_code == 200
    assert download.headers["cache-control"] == "no-store"
    both = signed_in.post(
        "/export", data={"_csrf_token": token, "dashboard": "123", "report": SINGLE_REPORT}
    )
    assert both.headers["cache-control"] == "no-store"
    static = re.search(r'href="(/static/web/[^"]+\.css)"', signed_in.get("/").text)
    assert static
    assert "no-store" not in signed_in.get(static.group(1)).headers["cache-control"]


def test_every_name_is_isolated_in_direction_the_drawing_included(
    web_container: Container, signed_in: TestClient[Litestar]
) -> None:
    name = f"{RLO}Invoices <b>"
    exported = signed_in.post(
        "/api/public/export/dashboard/definition/json", json=[OVERVIEW], headers=AUTH
    ).json()
    for entity in exported:
        entity["name"] = f"{name}{entity['id'][:4]}"
    imported = signed_in.post(
        f"/api/public/import?collectionId={DEMO_COLLECTION}&prepare=true",
        json=exported,
        headers=AUTH,
    )
    assert imported.status_code == 200, imported.text
    ids = {i["entityType"]: i["id"] for i in imported.json()}
    escaped = f"{RLO}Invoices &lt;b&gt;"
    for path in (
        f"/collections/{DEMO_COLLECTION}?q={quote(RLO)}",
        f"/dashboards/{ids['dashboard']}",
        f"/reports/{ids['report']}",
        f"/reports/{ids['report']}/delete",
    ):
        page = signed_in.get(path).text
        shown = [m.start() for m in re.finditer(re.escape(escaped), page)]
        assert shown, path
        for at in shown:
            tag = page[page.rfind("<", 0, at) : at]
            if ">" not in tag:  # inside a tag: only an aria-label, which is read, not drawn
                assert 'aria-label="' in tag, (path, tag)
                continue
            assert page[max(at - 8, 0) : at].endswith(("<bdi>", "\u2068")), (path, tag)
    drawing = signed_in.get(f"/dashboards/{ids['dashboard']}").text
    assert re.search(r"<text [^>]*>\u2068" + re.escape(escaped), drawing)


def test_the_collection_page_pages_filters_sorts_and_searches(
    signed_in: TestClient[Litestar],
) -> None:
    base = f"/collections/{DEMO_COLLECTION}"
    first = signed_in.get(f"{base}?size=20&sort=name").text
    names = re.findall(r'<td class="name"><a href="[^"]+"><bdi>([^<]+)</bdi>', first)
    assert names == sorted(names, key=str.casefold)
    assert "8 entities match" in first
    dashboards = signed_in.get(f"{base}?type=dashboard").text
    assert "2 entities match" in dashboards
    assert 'name="report"' not in dashboards
    found = signed_in.get(f"{base}?q=INVOICE+APPROVAL").text
    assert re.findall(r"<bdi>([^<]+)</bdi></a></td>", found) == ["Invoice approval overview"]
    assert "1 entity matches" in found
    ticked = signed_in.get(f"{base}?select=page&type=dashboard").text
    assert ticked.count(" checked ") == 2
    past = signed_in.get(f"{base}?page=9")
    assert past.status_code == 200
    assert "Previous" in past.text


def test_an_export_of_nothing_or_of_a_report_with_the_dashboards_button_is_no_500(
    signed_in: TestClient[Litestar],
) -> None:
    token = csrf(signed_in, "/")
    nothing = signed_in.post("/export", data={"_csrf_token": token, "kind": "dashboards"})
    assert nothing.status_code == 400
    assert heading(nothing.text) == "Nothing to export"
    report = signed_in.post(
        "/export", data={"_csrf_token": token, "kind": "dashboards", "report": SINGLE_REPORT}
    )
    assert report.status_code == 200
    api = signed_in.post(
        "/api/public/export/report/definition/json", json=[SINGLE_REPORT], headers=AUTH
    )
    assert report.content == api.content


def test_ticked_dashboards_and_reports_come_in_one_file_that_imports_as_it_is(
    signed_in: TestClient[Litestar],
) -> None:
    token = csrf(signed_in, "/")
    both = signed_in.post(
        "/export",
        data={"_csrf_token": token, "dashboard": ["123"], "report": [COMBINED, SINGLE_REPORT]},
    )
    assert both.status_code == 200
    assert 'filename="boardport-export.json"' in both.headers["content-disposition"]
    dashboards = signed_in.post(
        "/api/public/export/dashboard/definition/json", json=["123"], headers=AUTH
    ).json()
    reports = signed_in.post(
        "/api/public/export/report/definition/json",
        json=[COMBINED, SINGLE_REPORT],
        headers=AUTH,
    ).json()
    assert json.loads(both.content) == dashboards + reports
    imported = signed_in.post(
        f"/api/public/import?collectionId={DEMO_COLLECTION}&prepare=true",
        content=both.content,
        headers=AUTH,
    )
    assert imported.status_code == 200, imported.text
    every = signed_in.post(
        "/export",
        data={"_csrf_token": token, "scope": "matching", "collection": "", "type": "dashboard"},
    )
    assert sorted(e["id"] for e in every.json() if e["exportEntityType"] == "dashboard") == [
        "123",
        "456",
    ]


def test_the_report_page_shows_its_definitions_and_what_uses_it(
    signed_in: TestClient[Litestar],
) -> None:
    page = signed_in.get(f"/reports/{SINGLE_REPORT}").text
    assert "<h2>Definitions</h2>" in page
    assert "Used by" in page
    assert 'href="/dashboards/123"' in page
    combined = signed_in.get(f"/reports/{COMBINED}").text
    assert "Reports it combines" in combined
    dashboard = signed_in.get("/dashboards/123").text
    assert f'href="/reports/{SINGLE_REPORT}"' in dashboard
    assert '<option value="3.7">3.7</option>' in dashboard  # its export chooses a release


def test_five_failed_sign_ins_in_a_minute_are_throttled_doubling_and_logged_without_the_token(
    web: TestClient[Litestar], clock: SteppingClock, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "wrong-token-that-must-not-be-logged"
    with caplog.at_level(logging.WARNING):
        answers = [sign_in(web, wrong).status_code for _ in range(5)]
        assert answers == [401, 401, 401, 401, 429]
        refused = sign_in(web, TOKEN)  # the right token is not even checked now
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "60"
        assert heading(refused.text) == "Too many attempts"
        clock.current += timedelta(minutes=1)
        answers = [sign_in(web, wrong).status_code for _ in range(5)]
        assert answers == [401, 401, 401, 401, 429]
        assert sign_in(web, TOKEN).headers["retry-after"] == "120"  # doubled
        clock.current += timedelta(minutes=2)
        assert sign_in(web, TOKEN).status_code == 303
    assert "sign-in from testclient refused" in caplog.text
    assert wrong not in caplog.text
    assert TOKEN not in caplog.text


def test_signing_in_goes_back_to_the_page_asked_for_and_only_to_this_site(
    web: TestClient[Litestar],
) -> None:
    asked = web.get("/dashboards/123?x=1", follow_redirects=False)
    assert asked.headers["location"] == f"/sign-in?back={quote('/dashboards/123?x=1', safe='')}"
    form = web.get(asked.headers["location"]).text
    assert 'name="back" value="/dashboards/123?x=1"' in form
    for back, landing in (
        ("/dashboards/123?x=1", "/dashboards/123?x=1"),
        ("https://elsewhere.example/", "/"),
        ("//elsewhere.example/", "/"),
        ("/\\elsewhere.example", "/"),
    ):
        answer = web.post(
            "/sign-in",
            data={"token": TOKEN, "_csrf_token": csrf(web), "back": back},
            follow_redirects=False,
        )
        assert answer.headers["location"] == landing, back


def test_the_preview_and_the_result_say_what_each_entity_undergoes(
    web_container: Container, signed_in: TestClient[Litestar]
) -> None:
    exported = exported_dashboard_2(web_container, signed_in)
    token = csrf(signed_in, "/")
    first = upload_for_import(signed_in, token, exported, overwrite=True).text
    assert "Apply: 2 to create, 0 to update, 0 unchanged" in first
    done = signed_in.post(confirm_path(first), data={"_csrf_token": token}).text
    assert heading(done).startswith("Imported into")
    assert "2 created, 0 updated, 0 unchanged" in done
    assert done.count("created as <code>") == 2
    renamed = json.loads(exported)
    for entity in renamed:
        if entity["exportEntityType"] == "dashboard":
            entity["name"] = "Dashboard 2, renamed"
    again = upload_for_import(signed_in, token, json.dumps(renamed).encode(), overwrite=True).text
    assert "Apply: 0 to create, 1 to update, 1 unchanged" in again
    assert "will be updated in place" in again
    # The dry run's field change under the updated dashboard, as the API's dry run names it.
    assert (
        '<li><code>name</code>: <code dir="auto">&#34;Dashboard 2&#34;</code> → '
        '<code dir="auto">&#34;Dashboard 2, renamed&#34;</code></li>'
    ) in again
    result = signed_in.post(confirm_path(again), data={"_csrf_token": token}).text
    assert "0 created, 1 updated, 1 unchanged" in result
    assert "updated in place: <code>" in result


def test_an_import_that_prunes_says_what_it_deletes_then_deletes_it(
    web_container: Container, signed_in: TestClient[Litestar]
) -> None:
    exported = exported_dashboard_2(web_container, signed_in)
    token = csrf(signed_in, "/")
    first = upload_for_import(signed_in, token, exported, overwrite=True).text
    assert signed_in.post(confirm_path(first), data={"_csrf_token": token}).status_code == 200
    deployed = {d["id"] for d in collection_dashboards(signed_in)}
    reports_only = [e for e in json.loads(exported) if e["exportEntityType"] != "dashboard"]
    pruning = signed_in.post(
        f"/collections/{DEMO_COLLECTION}/import",
        data={"_csrf_token": token, "overwrite": "true", "prune": "true"},
        files={"file": ("reports.json", json.dumps(reports_only).encode(), "application/json")},
    ).text
    assert "Apply: 0 to create, 0 to update, 1 to delete, 1 unchanged" in pruning
    assert "will be deleted" in pruning
    assert {d["id"] for d in collection_dashboards(signed_in)} == deployed  # not yet
    done = signed_in.post(confirm_path(pruning), data={"_csrf_token": token}).text
    assert "0 created, 0 updated, 1 deleted, 1 unchanged" in done
    gone = deployed - {d["id"] for d in collection_dashboards(signed_in)}
    assert len(gone) == 1
    assert gone.pop() in done
    alone = signed_in.post(
        f"/collections/{DEMO_COLLECTION}/import",
        data={"_csrf_token": token, "prune": "true"},
        files={"file": ("reports.json", json.dumps(reports_only).encode(), "application/json")},
    )
    assert alone.status_code == 400  # prune needs overwrite, in the API's words
    assert "overwrite" in alone.text
