"""The history pages on SQLite and PostgreSQL: a dashboard's "History" section and "Restore this
version", a collection's changes a page at a time, and a revert that shows its dry run before
it acts, forced only when "Revert anyway" was chosen. Every user-supplied string is escaped
and isolated (<bdi> or dir=auto)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from markupsafe import escape

from entrypoints.web import history_pages
from tests.builders.wire import Entity
from tests.conftest import AUTH, TOKEN
from tests.e2e.importing import EXPORT_DASHBOARDS, Client, ready_collection
from tests.e2e.test_history_api import (
    by_source,
    changes,
    deploy,
    deploy_file,
    edited_file,
    exported,
)

HOSTILE = "<img src=x onerror=alert(1)>"
RIGHT_TO_LEFT = "\u05dc\u05d5\u05d7 \u05d7\u05e9\u05d1\u05d5\u05e0\u05d9\u05d5\u05ea"  # Hebrew


def csrf(client: Client, path: str = "/sign-in") -> str:
    page = client.get(path)
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


@pytest.fixture
def pages(client: Client) -> Client:
    """The test client signed in on the pages (its API calls still send the token)."""
    answer = client.post(
        "/sign-in", data={"token": TOKEN, "_csrf_token": csrf(client)}, follow_redirects=False
    )
    assert answer.status_code == 303
    return client


def form_post(client: Client, path: str, **fields: str) -> Any:
    return client.post(path, data={"_csrf_token": csrf(client, "/"), **fields})


def dashboard_json(client: Client, dashboard_id: str) -> Entity:
    """The dashboard as the API exports it (without the reports the export adds)."""
    answer = client.post(EXPORT_DASHBOARDS, json=[dashboard_id], headers=AUTH)
    assert answer.status_code == 200, answer.text
    found: list[Entity] = [e for e in answer.json() if e["exportEntityType"] == "dashboard"]
    return found[0]


def deployed_and_edited(client: Client) -> tuple[str, dict[str, str], Entity]:
    """A collection with the deploy file, then the edited one over it: the collection, the
    stored ID of each ID in the file, and the dashboards' export before the edit."""
    target = ready_collection(client)
    ids = by_source(deploy(client, target, deploy_file()))
    before = dashboard_json(client, ids["d1"])
    deploy(client, target, edited_file())
    return target, ids, before


def restore_paths(page: str) -> list[str]:
    return re.findall(r'action="([^"]+/restore)"', page)


def test_a_dashboard_page_lists_its_revisions_shows_the_last_changes_and_restores_one(
    pages: Client,
) -> None:
    _, ids, before = deployed_and_edited(pages)
    page = pages.get(f"/dashboards/{ids['d1']}")
    assert page.status_code == 200
    section = page.text[page.text.index('id="history-heading"') :]
    assert "Revision 2</strong> (current): updated by <bdi>token</bdi>" in section
    assert "Revision 1</strong>: created by <bdi>token</bdi>" in section
    assert "Changes from revision 1 to revision 2" in section
    assert re.search(r"<code>tiles\[[^<]*\]\.position</code>", section)
    assert '{&#34;x&#34;: 0, &#34;y&#34;: 0}</code> → <code dir="auto">{&#34;x&#34;: 6' in section
    # Only revision 1 can be restored: revision 2 is what the dashboard is now.
    assert restore_paths(section) == [f"/dashboards/{ids['d1']}/revisions/1/restore"]

    restored = form_post(pages, restore_paths(section)[0])

    assert restored.status_code == 200
    assert "Restored revision 1 of the dashboard" in restored.text
    assert dashboard_json(pages, ids["d1"]) == before
    newest = changes(pages, limit=1)[0]
    assert (newest["kind"], newest["actor"], newest["counts"]["updated"]) == ("revert", "token", 1)
    assert f'href="/changes/{newest["id"]}"' in restored.text
    again = pages.get(f"/dashboards/{ids['d1']}/history").text
    assert "Revision 3</strong> (current): updated by <bdi>token</bdi>" in again


def test_two_chosen_revisions_are_compared_on_the_history_page(pages: Client) -> None:
    _, ids, _ = deployed_and_edited(pages)
    path = f"/reports/{ids['r1']}/history"
    same = pages.get(path, params={"earlier": 2, "later": 2})
    assert "Changes from revision 2 to revision 2" in same.text
    assert "The two revisions hold the same content." in same.text
    renamed = pages.get(path, params={"earlier": 1, "later": 2})
    assert '<code>name</code>: <code dir="auto">&#34;Report r1&#34;</code>' in renamed.text
    assert "&#34;Invoices, renamed&#34;" in renamed.text
    missing = pages.get(path, params={"earlier": 1, "later": 9})
    assert missing.status_code == 404
    assert "notFoundError" in missing.text
    assert "revisions of report" in missing.text
    assert pages.get("/reports/never-here/history").status_code == 404


def test_a_deleted_dashboard_comes_back_from_its_history_page_with_its_id(
    pages: Client,
) -> None:
    target, ids, _ = deployed_and_edited(pages)
    kept = dashboard_json(pages, ids["d1"])
    assert pages.delete(f"/api/public/dashboard/{ids['d1']}", headers=AUTH).status_code == 204
    assert pages.get(f"/dashboards/{ids['d1']}").status_code == 404
    history = pages.get(f"/dashboards/{ids['d1']}/history")
    assert history.status_code == 200
    assert "This dashboard was deleted" in history.text
    assert "Revision 3</strong>: deleted by <bdi>token</bdi>" in history.text
    paths = restore_paths(history.text)
    assert paths == [
        f"/dashboards/{ids['d1']}/revisions/2/restore",
        f"/dashboards/{ids['d1']}/revisions/1/restore",
    ]

    restored = form_post(pages, paths[0])

    assert "brought back with its ID" in restored.text
    assert dashboard_json(pages, ids["d1"]) == kept
    assert pages.get(f"/dashboards/{ids['d1']}").status_code == 200
    assert changes(pages, collectionId=target, limit=1)[0]["counts"]["created"] == 1


def test_a_restore_without_the_forms_token_is_refused_and_writes_nothing(
    pages: Client,
) -> None:
    _, ids, _ = deployed_and_edited(pages)
    count = len(changes(pages))
    refused = pages.post(f"/dashboards/{ids['d1']}/revisions/1/restore", data={})
    assert refused.status_code == 403
    assert len(changes(pages)) == count


def test_the_changes_page_lists_each_change_with_its_entities_newest_first_a_page_at_a_time(
    pages: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history_pages, "CHANGES_PAGE", 2)
    monkeypatch.setattr(history_pages, "ENTITIES_LISTED", 4)
    target, ids, _ = deployed_and_edited(pages)
    assert pages.delete(f"/api/public/dashboard/{ids['d2']}", headers=AUTH).status_code == 204
    made = [c["id"] for c in changes(pages, collectionId=target)]
    assert len(made) == 3
    collection = pages.get(f"/collections/{target}")
    assert f'href="/collections/{target}/changes"' in collection.text

    first = pages.get(f"/collections/{target}/changes")

    assert first.status_code == 200
    shown = re.findall(r'<a href="/changes/([^"]+)">Change ', first.text)
    assert shown == made[:2]
    assert "delete by <bdi>token</bdi>" in first.text
    assert "0 created, 0 updated, 1 deleted" in first.text
    assert f'href="/dashboards/{ids["d2"]}/history"><bdi>Dashboard d2</bdi></a> deleted' in (
        first.text
    )
    assert first.text.count("Revert…") == 2
    older = re.search(r'href="\?before=([^"]+)">Older changes', first.text)
    assert older
    assert older.group(1) == made[1]
    second = pages.get(f"/collections/{target}/changes", params={"before": made[1]})
    assert re.findall(r'<a href="/changes/([^"]+)">Change ', second.text) == made[2:]
    assert "6 created, 0 updated, 0 deleted" in second.text
    assert f'<a href="/changes/{made[2]}">and 2 more</a>' in second.text
    assert "Older changes" not in second.text
    detail = pages.get(f"/changes/{made[2]}")
    assert detail.text.count('href="/reports/') + detail.text.count('href="/dashboards/') == 6


def test_a_revert_shows_its_dry_run_first_and_acts_on_the_confirm(pages: Client) -> None:
    target = ready_collection(pages)
    ids = by_source(deploy(pages, target, deploy_file()))
    before = exported(pages, target)
    deploy(pages, target, edited_file())
    edited = exported(pages, target)
    change_id = changes(pages, collectionId=target, limit=1)[0]["id"]

    preview = form_post(pages, f"/changes/{change_id}/revert-preview")

    assert preview.status_code == 200
    assert "Nothing is written yet" in preview.text
    assert preview.text.count("will get back its content from before the change") == 3
    assert f'href="/dashboards/{ids["d1"]}/history"><bdi>Dashboard d1</bdi></a>' in preview.text
    assert 'name="force"' not in preview.text
    assert exported(pages, target) == edited
    assert len(changes(pages, collectionId=target)) == 2

    done = form_post(pages, f"/changes/{change_id}/revert")

    assert done.status_code == 200
    assert "Done in one transaction" in done.text
    assert done.text.count("given back its earlier content") == 3
    assert exported(pages, target) == before
    assert changes(pages, collectionId=target, limit=1)[0]["kind"] == "revert"


def test_a_revert_a_later_change_conflicts_with_is_forced_only_by_revert_anyway(
    pages: Client,
) -> None:
    target = ready_collection(pages)
    ids = by_source(deploy(pages, target, deploy_file()))
    deploy(pages, target, edited_file())
    first_edit = changes(pages, collectionId=target, limit=1)[0]["id"]
    again = edited_file()
    again[0]["name"] = "Invoices, renamed twice"
    deploy(pages, target, again)
    later = changes(pages, collectionId=target, limit=1)[0]["id"]
    state = exported(pages, target)

    preview = form_post(pages, f"/changes/{first_edit}/revert-preview")

    assert preview.status_code == 200
    assert "Later changes touched 1 of its entities" in preview.text
    assert f'<a href="/changes/{later}">change {later}</a>' in preview.text
    assert f'/reports/{ids["r1"]}/history"><bdi>Invoices, renamed</bdi></a>, changed later' in (
        preview.text
    )
    assert '<input type="hidden" name="force" value="true">' in preview.text
    assert "Revert anyway" in preview.text
    assert exported(pages, target) == state

    plain = form_post(pages, f"/changes/{first_edit}/revert")  # a confirm without the choice

    assert plain.status_code == 409
    assert "Revert anyway" in plain.text
    assert exported(pages, target) == state

    forced = form_post(pages, f"/changes/{first_edit}/revert", force="true")

    assert forced.status_code == 200
    assert "Done in one transaction" in forced.text
    reports = json.loads(exported(pages, target)[0])
    assert {r["id"]: r["name"] for r in reports}[ids["r1"]] == "Report r1"


def test_names_and_actors_are_escaped_and_isolated_on_every_history_page(
    pages: Client,
) -> None:
    target = ready_collection(pages)
    file: list[Entity] = deploy_file()
    file[4]["name"] = HOSTILE
    ids = by_source(deploy(pages, target, file))
    file[4]["name"] = RIGHT_TO_LEFT
    deploy(pages, target, file)
    change_id = changes(pages, collectionId=target, limit=1)[0]["id"]
    shown = {
        "dashboard": pages.get(f"/dashboards/{ids['d1']}").text,
        "history": pages.get(f"/dashboards/{ids['d1']}/history?earlier=1&later=2").text,
        "changes": pages.get(f"/collections/{target}/changes").text,
        "change": pages.get(f"/changes/{change_id}").text,
        "preview": form_post(pages, f"/changes/{change_id}/revert-preview").text,
        "restored": form_post(pages, f"/dashboards/{ids['d1']}/revisions/1/restore").text,
    }
    for name, text in shown.items():
        assert HOSTILE not in text, name
    assert f'<code dir="auto">&#34;{escape(HOSTILE)}&#34;</code>' in shown["history"]
    assert f"<bdi>{escape(HOSTILE)}</bdi>" in shown["restored"]
    for name in ("changes", "change", "preview"):
        assert f"<bdi>{RIGHT_TO_LEFT}</bdi>" in shown[name], name
