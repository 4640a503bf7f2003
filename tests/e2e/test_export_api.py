from __future__ import annotations

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from entrypoints.container import Container
from tests.conftest import AUTH, TOKEN
from tests.e2e.conftest import insert_dangling_tile

DASHBOARDS = "/api/public/export/dashboard/definition/json"
REPORTS = "/api/public/export/report/definition/json"
SEED_REPORTS = [
    ("61ae2232-51e1-4c35-b72c-c7152ba264f9", "Number: Process instance duration"),
    ("625c2411-b95f-4442-936b-1976b9511d4a", "Heatmap: Flownode count"),
    ("94a7252e-d5c3-45ea-9906-75271cc0cac2", "Data Table: User task count"),
]
COMBINED = "6152382f-f263-404e-bc4d-69430e975662"


def post(
    client: TestClient[Litestar], path: str, body: bytes | str, **headers: str
) -> httpx.Response:
    content = body.encode() if isinstance(body, str) else body
    merged = {**AUTH, "Content-Type": "application/json", **headers}
    return client.post(path, content=content, headers=merged)


def test_the_seed_example_answers_three_reports_then_two_dashboards(
    demo_client: TestClient[Litestar],
) -> None:
    response = post(demo_client, DASHBOARDS, '["123","456"]')
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert [(e["id"], e["name"]) for e in body[:3]] == SEED_REPORTS
    assert [(e["id"], e["name"]) for e in body[3:]] == [
        ("123", "Dashboard 1"),
        ("456", "Dashboard 2"),
    ]
    assert {e["exportEntityType"] for e in body[:3]} == {"single_process_report"}
    assert [e["sourceIndexVersion"] for e in body] == [11, 11, 11, 8, 8]
    assert [t["id"] for t in body[3]["tiles"]] == [r for r, _ in SEED_REPORTS[:2]]
    assert body[3]["collectionId"] is None


def test_ids_are_a_set_and_a_bare_string_is_one_id(demo_client: TestClient[Litestar]) -> None:
    twice = post(demo_client, DASHBOARDS, '["456","456"]').json()
    assert [e["id"] for e in twice] == [SEED_REPORTS[2][0], "456"]
    assert post(demo_client, DASHBOARDS, '"456"').json() == twice


@pytest.mark.parametrize("body", ["", "[]", "null"])
def test_an_empty_request_exports_nothing(demo_client: TestClient[Litestar], body: str) -> None:
    response = post(demo_client, DASHBOARDS, body)
    assert (response.status_code, response.json()) == (200, [])


@pytest.mark.parametrize(
    "body", ['{"ids":["123"]}', "[123]", '[["123"]]', '["123",null]', "true", "[", "123", b"\xff"]
)
@pytest.mark.parametrize("path", [DASHBOARDS, REPORTS])
def test_a_body_that_is_not_an_array_of_strings_is_a_bad_request(
    demo_client: TestClient[Litestar],
    path: str,
    body: str | bytes,
) -> None:
    response = post(demo_client, path, body)
    assert response.status_code == 400
    assert response.json()["errorCode"] == "badRequestError"
    assert response.json()["detailedMessage"]


def test_an_unknown_dashboard_is_not_found_naming_only_the_missing_ids(
    demo_client: TestClient[Litestar],
) -> None:
    response = post(demo_client, DASHBOARDS, '["123","nope","456","gone"]')
    assert response.status_code == 404
    assert response.json() == {
        "errorCode": "notFoundError",
        "errorMessage": "The requested resource was not found.",
        "detailedMessage": "Could not find dashboards with IDs [nope, gone]",
    }


def test_an_unknown_report_is_not_found_naming_only_the_missing_ids(
    demo_client: TestClient[Litestar],
) -> None:
    response = post(demo_client, REPORTS, f'["{SEED_REPORTS[0][0]}","nope"]')
    assert response.status_code == 404
    assert response.json()["detailedMessage"] == "Could not find reports with IDs [nope]"


def test_a_combined_report_brings_its_children_right_after_it(
    demo_client: TestClient[Litestar],
) -> None:
    body = post(demo_client, REPORTS, f'["{COMBINED}"]').json()
    assert [e["exportEntityType"] for e in body] == [
        "combined_report",
        "single_process_report",
        "single_process_report",
    ]
    assert [r["id"] for r in body[0]["data"]["reports"]] == [e["id"] for e in body[1:]]
    assert body[0]["sourceIndexVersion"] == 5


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer"},
        {"Authorization": TOKEN},
        {"Authorization": f"Bearer {TOKEN}x"},
    ],
    ids=["missing", "wrong", "basic", "empty", "no-scheme", "longer"],
)
def test_a_missing_or_wrong_token_is_refused(
    demo_client: TestClient[Litestar],
    headers: dict[str, str],
) -> None:
    response = demo_client.post(DASHBOARDS, content=b'["123"]', headers=headers)
    assert response.status_code == 401
    assert response.json()["errorCode"] == "notAuthorizedError"
    assert TOKEN not in response.text


def test_the_bearer_scheme_is_case_insensitive(demo_client: TestClient[Litestar]) -> None:
    response = demo_client.post(
        DASHBOARDS, content=b"[]", headers={"Authorization": f"bearer {TOKEN}"}
    )
    assert response.status_code == 200


def test_a_tile_whose_report_is_gone_is_a_server_error_with_the_contracts_message(
    container: Container,
    demo_client: TestClient[Litestar],
) -> None:
    insert_dangling_tile(container.engine(), "456", "vanished-report")
    response = post(demo_client, DASHBOARDS, '["456"]')
    assert response.status_code == 500
    assert response.json() == {
        "errorCode": "serverError",
        "errorMessage": "An unexpected error occurred on the server.",
        "detailedMessage": "Could not retrieve some reports required by this dashboard.",
    }


def test_a_method_the_endpoint_does_not_take_answers_405_in_json(
    demo_client: TestClient[Litestar],
) -> None:
    response = demo_client.get(DASHBOARDS, headers=AUTH)
    assert response.status_code == 405
    assert response.json()["errorCode"] == "methodNotAllowedError"
