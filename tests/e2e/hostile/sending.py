"""How the hostile-input tests send what they send: every endpoint that reads a body, raw bytes
as they are, paths percent-decoded once as a real server does, and the valid import file each
test breaks in one place."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import quote

import httpx

from tests.builders.wire import (
    Entity,
    combined_report_entity,
    dashboard_entity,
    external_tile_json,
    process_report_entity,
    text_tile_json,
)
from tests.conftest import AUTH
from tests.e2e.importing import (
    COLLECTIONS,
    DEFINITIONS,
    DEMO_COLLECTION,
    EXPORT_DASHBOARDS,
    EXPORT_REPORTS,
    IMPORT,
    Client,
)

JSON = {**AUTH, "Content-Type": "application/json"}
SCOPE = f"{COLLECTIONS}/{DEMO_COLLECTION}/scope"
SHARE = "/api/public/share/enable"
DEMO_IMPORT = f"{IMPORT}?collectionId={DEMO_COLLECTION}"
PLAIN_REPORT = "94a7252e-d5c3-45ea-9906-75271cc0cac2"

# Every endpoint that reads a body: (method, path, errorCode of a malformed body, a valid body).
# The import goes to the demo collection, which every client of these tests holds.
BODY_ENDPOINTS: list[tuple[str, str, str, Any]] = [
    ("POST", EXPORT_DASHBOARDS, "badRequestError", ["123"]),
    ("POST", EXPORT_REPORTS, "badRequestError", [PLAIN_REPORT]),
    ("POST", DEMO_IMPORT, "importFileInvalid", []),
    ("POST", f"{COLLECTIONS}/create", "badRequestError", {"name": "Hostile"}),
    (
        "PUT",
        SCOPE,
        "badRequestError",
        [{"definitionType": "process", "definitionKey": "invoice", "tenants": [None]}],
    ),
    ("POST", DEFINITIONS, "badRequestError", {"type": "process", "key": "hostile"}),
    ("POST", SHARE, "badRequestError", None),
]


def send(client: Client, method: str, path: str, content: bytes | str | None) -> httpx.Response:
    data = content.encode() if isinstance(content, str) else content
    return client.request(method, path, content=data, headers=JSON)


def send_json(client: Client, method: str, path: str, body: Any) -> httpx.Response:
    return send(client, method, path, json.dumps(body))


def raw_request(client: Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """A request whose path reaches the app percent-decoded once, as from uvicorn. (Litestar's
    TestClient decodes the path twice: `%2541` would arrive as `A`, not `%41`.)"""

    async def send_once() -> httpx.Response:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as raw:
            return await raw.request(method, url, **kwargs)

    return asyncio.run(send_once())


def valid_file() -> list[Entity]:
    """Two process reports, a combined report of both, and a dashboard with a report tile, the
    combined report, a text tile, an external tile and a filter."""
    return [
        process_report_entity("r1"),
        process_report_entity("r2"),
        combined_report_entity("c1", ["r1", "r2"]),
        dashboard_entity(
            "d1",
            ["r1", "c1"],
            extra_tiles=[text_tile_json(y=8), external_tile_json(y=10)],
            filters=[{"type": "state", "data": {"operator": "in", "values": ["running"]}}],
        ),
    ]


def post_file(client: Client, collection_id: str, body: Any) -> httpx.Response:
    return send_json(client, "POST", f"{IMPORT}?collectionId={quote(collection_id)}", body)


def post_file_raw(client: Client, collection_id: str, content: bytes) -> httpx.Response:
    return send(client, "POST", f"{IMPORT}?collectionId={quote(collection_id)}", content)


def demo_is_intact(client: Client) -> None:
    """The demo's dashboards 123 and 456 still export (five entities, the reports they show
    included) and its six reports are all listed: the hostile requests changed nothing."""
    response = send_json(client, "POST", EXPORT_DASHBOARDS, ["123", "456"])
    assert response.status_code == 200, response.text
    assert len(response.json()) == 5
    listed = send(client, "GET", f"/api/public/report?collectionId={DEMO_COLLECTION}", None)
    assert len(listed.json()) == 6
