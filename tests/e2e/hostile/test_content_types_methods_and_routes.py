"""What the request line and headers say: a body not sent as JSON is a 415, a method the route
does not take is a 405 whose Allow header leaves it out, an unknown path is a 404; each with the
contract's JSON error body."""

from __future__ import annotations

import json

import pytest

from tests.conftest import AUTH
from tests.e2e.hostile.answers import assert_error
from tests.e2e.hostile.sending import BODY_ENDPOINTS, SHARE, raw_request
from tests.e2e.importing import (
    COLLECTIONS,
    DEFINITIONS,
    DEMO_COLLECTION,
    EXPORT_DASHBOARDS,
    EXPORT_REPORTS,
    IMPORT,
    Client,
)

NOT_JSON = [
    "text/plain",
    "text/html",
    "application/xml",
    "text/xml",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/octet-stream",
    "application/jsonx",
    "image/svg+xml",
]


JSON_TYPES = ["application/json; charset=utf-8", "APPLICATION/JSON", "application/vnd.api+json"]


def test_a_body_not_sent_as_json_is_unsupported(
    sqlite_hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path, _, valid in BODY_ENDPOINTS:
        content = json.dumps(valid).encode()
        for content_type in NOT_JSON:
            with subtests.test(method=method, path=path, content_type=content_type):
                headers = {**AUTH, "Content-Type": content_type}
                response = sqlite_hostile.request(method, path, content=content, headers=headers)
                body = assert_error(response, 415, "badRequestError")
                assert content_type.split(";")[0] in body["detailedMessage"]
        for content_type in JSON_TYPES:
            with subtests.test(method=method, path=path, content_type=content_type):
                headers = {**AUTH, "Content-Type": content_type}
                response = sqlite_hostile.request(method, path, content=content, headers=headers)
                assert response.status_code != 415, response.text


METHODS_NOT_ALLOWED: list[tuple[str, str]] = [
    ("GET", EXPORT_DASHBOARDS),
    ("PUT", EXPORT_REPORTS),
    ("DELETE", EXPORT_REPORTS),
    ("GET", IMPORT),
    ("PUT", IMPORT),
    ("PATCH", IMPORT),
    ("DELETE", IMPORT),
    ("POST", "/api/public/dashboard"),
    ("DELETE", "/api/public/report"),
    ("GET", "/api/public/report/123"),
    ("PUT", "/api/public/dashboard/123"),
    ("DELETE", COLLECTIONS),
    ("POST", f"{COLLECTIONS}/{DEMO_COLLECTION}"),
    ("GET", f"{COLLECTIONS}/{DEMO_COLLECTION}/scope"),
    ("GET", f"{COLLECTIONS}/create"),
    ("DELETE", DEFINITIONS),
    ("GET", SHARE),
    ("PATCH", "/api/public/share/disable"),
    ("POST", "/api/readyz"),
    ("DELETE", "/api/readyz"),
    ("TRACE", COLLECTIONS),
    ("HEAD", EXPORT_DASHBOARDS),
    ("PROPFIND", COLLECTIONS),
]


def test_a_method_that_is_not_allowed_is_405_with_the_json_error_body(
    sqlite_hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path in METHODS_NOT_ALLOWED:
        with subtests.test(method=method, path=path):
            response = sqlite_hostile.request(method, path, headers=AUTH)
            assert response.status_code == 405, response.text
            assert method not in response.headers["allow"].split(", ")
            assert response.headers["content-type"] == "application/json"
            if method != "HEAD":
                assert_error(response, 405, "methodNotAllowedError")


UNKNOWN_PATHS = [
    ("GET", "/api/public/nope"),
    ("POST", "/api/public/export/nope/definition/json"),
    ("GET", "/schema/nope"),
    ("GET", "/api/public/report/a/b/c"),
    ("GET", f"{COLLECTIONS}/x/y/z"),
]
UNKNOWN_PAGES = [("GET", "/nope"), ("GET", "/%2e%2e/%2e%2e/etc/passwd")]
"""Not the API's paths: a page of the site says there is no such page (issue 23)."""


def test_unknown_paths_are_the_json_not_found_body_and_a_page_off_the_api(
    sqlite_hostile: Client, subtests: pytest.Subtests
) -> None:
    for method, path in UNKNOWN_PATHS:
        with subtests.test(method=method, path=path):
            response = raw_request(sqlite_hostile, method, path, headers=AUTH)
            assert_error(response, 404, "notFoundError")
    for method, path in UNKNOWN_PAGES:
        with subtests.test(method=method, path=path):
            response = raw_request(sqlite_hostile, method, path, headers=AUTH)
            assert response.status_code == 404
            assert response.headers["content-type"].startswith("text/html")
            assert "<h1>Not found</h1>" in response.text
