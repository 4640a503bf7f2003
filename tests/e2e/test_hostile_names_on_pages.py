"""A file whose every name is markup, through the web pages from its dry run on: each page that
shows a name (the preview, the result, the collection list, the collection, the dashboard, the
delete forms, a refused file's problem) shows it as text, escaped, and never as markup."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from markupsafe import escape

from entrypoints.asgi import create_app
from entrypoints.container import Container, build_container
from entrypoints.demo.loader import demo_seed
from entrypoints.settings import Settings
from tests.conftest import AUTH, TOKEN
from tests.databases import fresh_sqlite
from tests.e2e.importing import (
    DEMO_COMBINED,
    DEMO_COMBINED_CHILDREN,
    DEMO_OVERVIEW_DASHBOARD,
    EXPORT_DASHBOARDS,
    create_collection,
)
from tests.e2e.test_web_pages import confirm_path, csrf, sign_in


def hostile(label: str) -> str:
    """A name that is markup (an image whose error runs script), told apart by `label`."""
    return f"<img src=x onerror=alert(1)>{label}"


def shown(label: str) -> str:
    """How a page must show `hostile(label)`: escaped, as text."""
    return str(escape(hostile(label)))


def assert_shown_as_text(page: str, *labels: str) -> None:
    assert "<img" not in page  # no page of boardport's has an image of its own
    for label in labels:
        assert shown(label) in page, label


@pytest.fixture
def container(sqlite_template: Path, tmp_path: Path) -> Iterator[Container]:
    built = build_container(
        Settings(database_url=fresh_sqlite(sqlite_template, tmp_path), api_access_token=TOKEN)
    )
    built.load_seed()(demo_seed())
    yield built
    built.engine().dispose()


@pytest.fixture
def signed_in(container: Container) -> Iterator[TestClient[Litestar]]:
    with TestClient(create_app(container)) as client:
        assert sign_in(client).status_code == 303
        yield client


def hostile_overview(client: TestClient[Litestar]) -> list[dict[str, Any]]:
    """The demo overview's export (a text tile, a combined report of two, a variable filter)
    with every name, description and text its pages show made markup."""
    exported: list[dict[str, Any]] = client.post(
        EXPORT_DASHBOARDS, json=[DEMO_OVERVIEW_DASHBOARD], headers=AUTH
    ).json()
    for entity in exported:
        entity["name"] = hostile(entity["id"])
        entity["description"] = hostile(f"description of {entity['id']}")
        for tile in entity.get("tiles", []):
            if tile["type"] == "text":
                heading = tile["configuration"]["text"]["root"]["children"][0]["children"][0]
                heading["text"] = hostile("text tile")
        for available in entity.get("availableFilters", []):
            if available["type"] == "variable":
                available["data"]["name"] = hostile("variable")
    return exported


def test_a_file_of_markup_names_shows_as_text_on_every_page_from_its_dry_run_on(
    container: Container, signed_in: TestClient[Litestar]
) -> None:
    collection_id = create_collection(signed_in, hostile("collection"))
    document = hostile_overview(signed_in)
    container.prepare_for_import()(json.loads(json.dumps(document)), collection_id)
    names = [e["id"] for e in document]
    token = csrf(signed_in, "/")

    form = signed_in.get(f"/collections/{collection_id}/import")
    assert_shown_as_text(form.text, "collection")
    preview = signed_in.post(
        f"/collections/{collection_id}/import",
        data={"_csrf_token": token},
        files={"file": (hostile("file") + ".json", json.dumps(document), "application/json")},
    )
    assert preview.status_code == 200, preview.text
    assert "will be created" in preview.text  # the dry run, not a refusal
    assert_shown_as_text(preview.text, "collection", "file", *names)
    result = signed_in.post(confirm_path(preview.text), data={"_csrf_token": token})
    assert result.status_code == 200, result.text
    assert "Imported into" in result.text
    assert_shown_as_text(result.text, "collection", *names)

    new_ids = new_ids_in(signed_in, collection_id)
    assert_shown_as_text(signed_in.get("/").text, "collection")
    assert_shown_as_text(signed_in.get(f"/collections/{collection_id}").text, "collection", *names)
    searched = signed_in.get(f"/collections/{collection_id}", params={"q": hostile("search")})
    assert_shown_as_text(searched.text, "collection", "search")
    dashboard = signed_in.get(f"/dashboards/{new_ids[DEMO_OVERVIEW_DASHBOARD]}").text
    overview = next(e for e in document if e["id"] == DEMO_OVERVIEW_DASHBOARD)
    tiles = [t["id"] for t in overview["tiles"] if t["type"] == "optimize_report"]
    assert_shown_as_text(
        dashboard,
        "collection",
        DEMO_OVERVIEW_DASHBOARD,
        f"description of {DEMO_OVERVIEW_DASHBOARD}",
        "text tile",
        "variable",
        *tiles,
    )
    svg = dashboard.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert_shown_as_text(svg, DEMO_OVERVIEW_DASHBOARD, "text tile", *tiles)
    delete_dashboard = signed_in.get(f"/dashboards/{new_ids[DEMO_OVERVIEW_DASHBOARD]}/delete")
    assert_shown_as_text(delete_dashboard.text, DEMO_OVERVIEW_DASHBOARD)
    child = DEMO_COMBINED_CHILDREN[0]
    delete_child = signed_in.get(f"/reports/{new_ids[child]}/delete").text
    assert_shown_as_text(delete_child, child, DEMO_OVERVIEW_DASHBOARD, DEMO_COMBINED)


def test_a_refused_file_shows_the_names_in_its_problem_as_text(
    container: Container, signed_in: TestClient[Litestar]
) -> None:
    """The problem names the report a tile misses by its ID in the file; the file's name and
    the collection's are on the page too."""
    collection_id = create_collection(signed_in, hostile("collection"))
    document = hostile_overview(signed_in)
    container.prepare_for_import()(json.loads(json.dumps(document)), collection_id)
    dashboard = next(e for e in document if e["exportEntityType"] == "dashboard")
    dashboard["tiles"][1]["id"] = hostile("missing report")
    token = csrf(signed_in, "/")
    refused = signed_in.post(
        f"/collections/{collection_id}/import",
        data={"_csrf_token": token},
        files={"file": (hostile("file") + ".json", json.dumps(document), "application/json")},
    )
    assert refused.status_code == 400, refused.text
    assert "nothing was written" in refused.text
    assert_shown_as_text(refused.text, "collection", "file", "missing report")


def new_ids_in(client: TestClient[Litestar], collection_id: str) -> dict[str, str]:
    """Each imported entity's ID in the file, to its ID in the collection (their names say
    which was which)."""
    found: dict[str, str] = {}
    for kind in ("dashboard", "report"):
        listed = client.get(f"/api/public/{kind}?collectionId={collection_id}", headers=AUTH)
        ids = [e["id"] for e in listed.json()]
        exported = client.post(
            f"/api/public/export/{kind}/definition/json", json=ids, headers=AUTH
        ).json()
        prefix = len(hostile(""))
        found |= {e["name"][prefix:]: e["id"] for e in exported if e["id"] in ids}
    return found
