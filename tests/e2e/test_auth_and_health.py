from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from entrypoints.asgi import create_app
from entrypoints.container import build_container
from entrypoints.settings import Settings
from tests.conftest import AUTH


@pytest.fixture
def tokenless_client(database_url: str) -> Iterator[TestClient[Litestar]]:
    container = build_container(Settings(database_url=database_url, api_access_token=None))
    with TestClient(create_app(container)) as client:
        yield client


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/public/export/dashboard/definition/json"),
        ("POST", "/api/public/export/report/definition/json"),
        ("GET", "/api/public/dashboard?collectionId=c"),
        ("GET", "/api/public/report?collectionId=c"),
    ],
)
def test_without_a_configured_token_every_public_request_is_refused(
    tokenless_client: TestClient[Litestar],
    method: str,
    path: str,
) -> None:
    response = tokenless_client.request(method, path, content=b"[]", headers=AUTH)
    assert response.status_code == 401
    assert response.json()["errorCode"] == "notAuthorizedError"
    assert "No API access token is configured" in response.json()["detailedMessage"]


def test_readiness_needs_no_token_and_answers_200_when_the_database_answers(
    tokenless_client: TestClient[Litestar],
) -> None:
    response = tokenless_client.get("/api/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ready"})


def test_readiness_answers_503_when_the_database_does_not() -> None:
    unreachable = "postgresql+psycopg://boardport@127.0.0.1:9/nowhere"
    container = build_container(Settings(database_url=unreachable, api_access_token="t"))
    with TestClient(create_app(container)) as client:
        response = client.get("/api/readyz")
    assert response.status_code == 503
    assert response.json()["errorCode"] == "serviceUnavailableError"


def test_the_openapi_document_is_served_without_a_token(
    tokenless_client: TestClient[Litestar],
) -> None:
    document = tokenless_client.get("/schema/openapi.json").json()
    operations = {op["operationId"] for path in document["paths"].values() for op in path.values()}
    assert {
        "exportDashboardDefinitions",
        "exportReportDefinitions",
        "listDashboardIds",
        "listReportIds",
        "readiness",
    } <= operations
    export = document["paths"]["/api/public/export/dashboard/definition/json"]["post"]
    assert set(export["responses"]) >= {"200", "400", "401", "404", "500"}
    schema = export["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "array"
    assert "oneOf" in schema["items"]
