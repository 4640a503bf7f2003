from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.conftest import AUTH

DEMO_COLLECTION = "7d1c0a52-6f4e-4b8e-9a51-3c2f1e0b9d11"


def test_the_dashboards_of_a_collection_are_listed(demo_client: TestClient[Litestar]) -> None:
    response = demo_client.get(
        "/api/public/dashboard", params={"collectionId": DEMO_COLLECTION}, headers=AUTH
    )
    assert response.status_code == 200
    ids = [item["id"] for item in response.json()]
    assert len(ids) == 2
    assert "123" not in ids


def test_the_reports_of_a_collection_are_listed(demo_client: TestClient[Litestar]) -> None:
    response = demo_client.get(
        "/api/public/report", params={"collectionId": DEMO_COLLECTION}, headers=AUTH
    )
    assert response.status_code == 200
    assert len(response.json()) == 6
    assert all(set(item) == {"id"} for item in response.json())


@pytest.mark.parametrize("path", ["/api/public/dashboard", "/api/public/report"])
def test_listing_without_a_collection_is_a_bad_request(
    demo_client: TestClient[Litestar], path: str
) -> None:
    response = demo_client.get(path, headers=AUTH)
    assert response.status_code == 400
    assert response.json()["errorCode"] == "badRequestError"
    assert response.json()["detailedMessage"] == "Must specify a collection ID for this request."


def test_an_unknown_collection_holds_nothing(demo_client: TestClient[Litestar]) -> None:
    response = demo_client.get("/api/public/dashboard?collectionId=unknown", headers=AUTH)
    assert (response.status_code, response.json()) == (200, [])
