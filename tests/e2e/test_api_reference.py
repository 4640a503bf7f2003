"""The API reference pages ship what they load: no other host, a strict policy, cached files."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from entrypoints.asgi import create_app
from entrypoints.container import build_container
from entrypoints.http.api_reference import SWAGGER_UI_PATH
from entrypoints.settings import Settings
from tests.conftest import TOKEN
from tests.databases import fresh_sqlite

OTHER_HOST = re.compile(r"""(?:https?:)?//(?!127\.0\.0\.1[:/]|localhost[:/])[\w.-]+""", re.I)
ONE_YEAR = 365 * 24 * 60 * 60


@pytest.fixture(scope="module")
def client(
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[TestClient[Litestar]]:
    """One app for the module: the reference pages read no data, one database kind is enough."""
    url = fresh_sqlite(sqlite_template, tmp_path_factory.mktemp("reference"))
    container = build_container(Settings(database_url=url, api_access_token=TOKEN))
    with TestClient(create_app(container)) as test_client:
        yield test_client
    container.engine().dispose()


def html_pages(client: TestClient[Litestar]) -> list[str]:
    """Every GET route without path parameters, outside the API: what a browser can open."""
    paths = sorted(
        {
            route.path
            for route in client.app.routes
            if "GET" in getattr(route, "methods", ())
            and "{" not in route.path
            and not route.path.startswith("/api/")
        }
    )
    assert "/schema" in paths
    return paths


def test_no_html_page_names_another_host(
    client: TestClient[Litestar],
    subtests: pytest.Subtests,
) -> None:
    checked = 0
    for path in html_pages(client):
        response = client.get(path)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        checked += 1
        with subtests.test(path=path):
            assert response.status_code == 200
            assert OTHER_HOST.findall(response.text) == []
    assert checked >= 2  # /schema and /schema/swagger at least


def test_the_reference_page_loads_only_the_services_own_files(
    client: TestClient[Litestar],
) -> None:
    page = client.get("/schema").text
    loaded = re.findall(r"""(?:src|href)=["']([^"']+)""", page)
    assert {f"{SWAGGER_UI_PATH}/swagger-ui-bundle.js", f"{SWAGGER_UI_PATH}/swagger-ui.css"} <= set(
        loaded
    )
    assert all(url.startswith(f"{SWAGGER_UI_PATH}/") for url in loaded), loaded


@pytest.mark.parametrize("path", ["/schema", "/schema/swagger"])
def test_the_reference_pages_allow_only_the_services_own_origin(
    client: TestClient[Litestar],
    path: str,
) -> None:
    response = client.get(path)
    policy = response.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    for directive in ("script-src", "style-src"):
        sources = directives[directive].split()
        assert sources[0] == "'self'"
        assert all(s.startswith("'sha256-") for s in sources[1:]), sources
    assert "unsafe" not in policy
    assert OTHER_HOST.findall(policy) == []
    # The page's start-up script is inline, and allowed by its hash only.
    assert len(directives["script-src"].split()) == 2


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("swagger-ui-bundle.js", "text/javascript"),
        ("swagger-ui-standalone-preset.js", "text/javascript"),
        ("swagger-ui.css", "text/css"),
        ("favicon-32x32.png", "image/png"),
    ],
)
def test_the_renderers_files_are_served_with_their_types_and_cached_for_a_year(
    client: TestClient[Litestar],
    name: str,
    content_type: str,
) -> None:
    response = client.get(f"{SWAGGER_UI_PATH}/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == content_type
    assert f"max-age={ONE_YEAR}" in response.headers["cache-control"]
    assert len(response.content) > 500


def test_the_schema_documents_answer_as_before(
    client: TestClient[Litestar],
) -> None:
    as_json = client.get("/schema/openapi.json")
    assert as_json.status_code == 200
    assert as_json.headers["content-type"].startswith("application/vnd.oai.openapi+json")
    assert as_json.json()["openapi"].startswith("3.1")
    as_yaml = client.get("/schema/openapi.yaml")
    assert as_yaml.status_code == 200
    assert "exportDashboardDefinitions" in as_yaml.text
