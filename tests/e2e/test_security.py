"""Security checks of the HTTP API (issue 5): the security headers on every response, errors and
unknown paths included, and no `server` header from the real server; CORS closed unless origins
are configured, then open to exactly those; the token never echoed in a response nor written to
the log; with no token configured, every public request refused; no path spelling around the
token check. None of this depends on the database, so it runs on SQLite."""

from __future__ import annotations

import asyncio
import base64
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import TestClient

from entrypoints.asgi import create_app
from entrypoints.cli import main as cli_main
from entrypoints.container import Container, build_container
from entrypoints.demo.loader import demo_seed
from entrypoints.settings import Settings
from tests.conftest import AUTH, TOKEN
from tests.databases import fresh_sqlite
from tests.e2e.conftest import insert_dangling_tile

Client = TestClient[Litestar]
JSON = {**AUTH, "Content-Type": "application/json"}
EXPORT_DASHBOARDS = "/api/public/export/dashboard/definition/json"
UNREACHABLE = "postgresql+psycopg://boardport@127.0.0.1:9/nowhere"
GOOD_ORIGIN = "https://dashboards.example.com"
EVERY_RESPONSE = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
API_RESPONSE = {
    "cache-control": "no-store",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
}


# --- fixtures and helpers ----------------------------------------------------------------------


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    return fresh_sqlite(sqlite_template, tmp_path)


@pytest.fixture
def make_app(sqlite_url: str) -> Iterator[Callable[..., tuple[Client, Container]]]:
    """An app over a fresh SQLite database with the demo data and the given settings; server
    errors come back as responses."""
    with ExitStack() as stack:

        def make(**overrides: Any) -> tuple[Client, Container]:
            settings = {"database_url": sqlite_url, "api_access_token": TOKEN, **overrides}
            container = build_container(Settings(**settings))
            stack.callback(container.engine().dispose)
            client: Client = stack.enter_context(
                TestClient(create_app(container), raise_server_exceptions=False)
            )
            if settings["database_url"] == sqlite_url:
                container.load_seed()(demo_seed())
            return client, container

        yield make


def asgi_request(
    app: Litestar, method: str, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request with exactly this path in the ASGI scope, as uvicorn passes it: no client
    normalises slashes or dot segments on the way."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")]
        + [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    started: dict[str, Any] = {}
    body: list[bytes] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            started.update(message)
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    response_headers = {k.decode().lower(): v.decode() for k, v in started["headers"]}
    return started["status"], response_headers, b"".join(body)


@contextmanager
def capturing_every_log(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """caplog at DEBUG on the root logger. Litestar's logging configuration, applied when an app
    is built, replaces the root logger's handlers, caplog's among them; this puts it back."""
    root = logging.getLogger()
    root.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.DEBUG):
            yield
    finally:
        root.removeHandler(caplog.handler)


def assert_error_body(response: httpx.Response) -> None:
    assert response.headers["content-type"].split(";")[0] == "application/json", response.text
    body = response.json()
    assert set(body) >= {"errorCode", "errorMessage", "detailedMessage"}, body
    assert "Traceback" not in response.text


def assert_security_headers(response: httpx.Response, path: str) -> None:
    headers = {k.lower(): v for k, v in response.headers.items()}
    for name, value in EVERY_RESPONSE.items():
        assert headers.get(name) == value, (path, name, headers)
    if path.startswith("/api/"):
        for name, value in API_RESPONSE.items():
            assert headers.get(name) == value, (path, name, headers)
    assert "server" not in headers, headers
    assert "x-powered-by" not in headers, headers


# --- security headers --------------------------------------------------------------------------


def test_every_response_carries_the_security_headers_errors_and_unknown_paths_included(
    make_app: Callable[..., tuple[Client, Container]], subtests: pytest.Subtests
) -> None:
    client, container = make_app(max_body_bytes=1024)
    insert_dangling_tile(container.engine(), "456", "gone")
    requests: list[tuple[str, str, dict[str, str], bytes | None, int]] = [
        ("GET", "/api/public/collection", AUTH, None, 200),
        ("POST", "/api/public/share/enable", JSON, None, 204),
        ("POST", EXPORT_DASHBOARDS, JSON, b"[1]", 400),
        ("GET", "/api/public/collection", {}, None, 401),
        ("GET", "/api/public/collection", {"Authorization": "Bearer wrong"}, None, 401),
        ("POST", EXPORT_DASHBOARDS, JSON, b'["nope"]', 404),
        ("GET", "/nope", {}, None, 404),
        ("GET", "/api/public/nope", AUTH, None, 404),
        ("GET", EXPORT_DASHBOARDS, AUTH, None, 405),
        ("POST", EXPORT_DASHBOARDS, JSON, b'["' + b"x" * 2000 + b'"]', 413),
        ("POST", EXPORT_DASHBOARDS, {**AUTH, "Content-Type": "text/plain"}, b"[]", 415),
        ("POST", EXPORT_DASHBOARDS, JSON, b'["456"]', 500),
        ("OPTIONS", "/api/public/collection", {}, None, 204),
        ("GET", "/api/readyz", {}, None, 200),
        ("GET", "/schema", {}, None, 200),
        ("GET", "/schema/openapi.json", {}, None, 200),
    ]
    for method, path, headers, body, status in requests:
        with subtests.test(method=method, path=path, status=status):
            response = client.request(method, path, headers=headers, content=body)
            assert response.status_code == status, response.text
            assert_security_headers(response, path)
            if status >= 400 and path != "/nope":
                assert_error_body(response)
            if path == "/nope":  # not the API's: a page in the site's frame
                assert response.headers["content-type"].startswith("text/html")
                assert "<h1>Not found</h1>" in response.text
    unreachable, _ = make_app(database_url=UNREACHABLE)
    for path, headers in (("/api/readyz", {}), ("/api/public/collection", AUTH)):
        with subtests.test(path=path, database="unreachable"):
            response = unreachable.get(path, headers=headers)
            assert response.status_code == 503, response.text
            assert_security_headers(response, path)
            assert_error_body(response)


def test_a_server_error_says_nothing_of_its_cause(
    make_app: Callable[..., tuple[Client, Container]], caplog: pytest.LogCaptureFixture
) -> None:
    client, container = make_app()
    insert_dangling_tile(container.engine(), "456", "gone")
    with capturing_every_log(caplog):
        response = client.post(EXPORT_DASHBOARDS, content=b'["456"]', headers=JSON)
    assert response.status_code == 500
    assert response.json()["errorCode"] == "serverError"
    for leak in ("dashboard_tile", "SELECT", "sqlalchemy", "Traceback", "gone", ".py"):
        assert leak not in response.text
    logged = [r for r in caplog.records if r.name.startswith("entrypoints.")]
    assert [r.levelno for r in logged] == [logging.ERROR]
    assert EXPORT_DASHBOARDS in logged[0].getMessage()


def test_the_served_process_sends_no_server_header(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`boardport serve` starts uvicorn; the same configuration, started for real on a free
    loopback port, answers without a `server` header and with the security headers."""
    monkeypatch.setenv("BOARDPORT_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("BOARDPORT_API_ACCESS_TOKEN", TOKEN)
    captured: dict[str, Any] = {}

    def fake_run(app: str, **options: Any) -> None:
        captured.update(options, app=app)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    result = CliRunner().invoke(cli_main.cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert captured["server_header"] is False
    assert TOKEN not in result.output

    options = {k: v for k, v in captured.items() if k not in {"app", "host", "port", "workers"}}
    config = uvicorn.Config(captured["app"], host="127.0.0.1", port=0, **options)
    server = uvicorn.Server(config)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 20
            while not server.started and thread.is_alive() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert server.started
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, timeout=10) as http:
                for path, headers in (
                    ("/api/readyz", {}),
                    ("/api/public/collection", {}),
                    ("/api/public/collection", AUTH),
                    ("/nope", {}),
                ):
                    response = http.get(path, headers=headers)
                    assert "server" not in response.headers, response.headers
                    assert response.headers["x-content-type-options"] == "nosniff"
                    assert TOKEN not in response.text
        finally:
            server.should_exit = True
            thread.join(timeout=20)
    assert not thread.is_alive()


# --- CORS --------------------------------------------------------------------------------------


def _preflight(origin: str, method: str = "POST") -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type",
    }


def test_cors_is_closed_by_default(
    make_app: Callable[..., tuple[Client, Container]], subtests: pytest.Subtests
) -> None:
    client, _ = make_app()
    for origin in (GOOD_ORIGIN, "https://evil.example", "null"):
        with subtests.test(origin=origin, kind="request"):
            response = client.get("/api/public/collection", headers={**AUTH, "Origin": origin})
            assert response.status_code == 200
            assert not any(h.startswith("access-control-") for h in response.headers), (
                response.headers
            )
        with subtests.test(origin=origin, kind="preflight"):
            response = client.options(EXPORT_DASHBOARDS, headers=_preflight(origin))
            assert "access-control-allow-origin" not in response.headers, response.headers
            assert "access-control-allow-credentials" not in response.headers
            assert_security_headers(response, EXPORT_DASHBOARDS)


def test_cors_is_open_only_to_the_configured_origins(
    make_app: Callable[..., tuple[Client, Container]], subtests: pytest.Subtests
) -> None:
    client, _ = make_app(cors_allow_origins=(GOOD_ORIGIN,))
    with subtests.test(kind="allowed request"):
        response = client.get("/api/public/collection", headers={**AUTH, "Origin": GOOD_ORIGIN})
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == GOOD_ORIGIN
        assert "Origin" in response.headers["vary"]
        assert "access-control-allow-credentials" not in response.headers
    with subtests.test(kind="allowed preflight"):
        response = client.options(EXPORT_DASHBOARDS, headers=_preflight(GOOD_ORIGIN))
        assert response.status_code == 204, response.text
        assert response.headers["access-control-allow-origin"] == GOOD_ORIGIN
        assert "POST" in response.headers["access-control-allow-methods"]
        assert "authorization" in response.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in response.headers
    with subtests.test(kind="an error still tells the allowed origin it is one"):
        response = client.get("/api/public/collection", headers={"Origin": GOOD_ORIGIN})
        assert response.status_code == 401
        assert response.headers["access-control-allow-origin"] == GOOD_ORIGIN
    for origin in (
        "https://evil.example",
        "null",
        f"{GOOD_ORIGIN}.evil.example",
        "https://evil.example/" + GOOD_ORIGIN,
        GOOD_ORIGIN.replace("https", "http"),
        GOOD_ORIGIN + ":8443",
        GOOD_ORIGIN.upper(),
    ):
        with subtests.test(origin=origin, kind="request"):
            response = client.get("/api/public/collection", headers={**AUTH, "Origin": origin})
            assert "access-control-allow-origin" not in response.headers, response.headers
        with subtests.test(origin=origin, kind="preflight"):
            response = client.options(EXPORT_DASHBOARDS, headers=_preflight(origin))
            assert response.status_code == 400, response.text
            assert "access-control-allow-origin" not in response.headers
            assert_error_body(response)
            assert response.json()["errorCode"] == "badRequestError"
            assert_security_headers(response, EXPORT_DASHBOARDS)
    with subtests.test(kind="a method the API does not have"):
        response = client.options(EXPORT_DASHBOARDS, headers=_preflight(GOOD_ORIGIN, "PATCH"))
        assert response.status_code == 400
        assert_error_body(response)


# --- the token ---------------------------------------------------------------------------------

WRONG_TOKEN = "wrong-but-secret-looking-token-5f0c1e"


def _attempts() -> list[dict[str, str]]:
    basic = base64.b64encode(f"user:{TOKEN}".encode()).decode()
    return [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        {"Authorization": f"Bearer {WRONG_TOKEN}"},
        {"Authorization": f"Bearer {TOKEN[:-1]}"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Bearer {TOKEN.upper()}"},
        {"Authorization": f"Bearer {TOKEN} {WRONG_TOKEN}"},
        {"Authorization": f"Basic {basic}"},
        {"Authorization": f"Token {TOKEN}"},
        {"Authorization": TOKEN},
        {"X-Api-Key": TOKEN},
        {"Cookie": f"token={TOKEN}"},
    ]


def test_a_missing_or_wrong_token_is_refused_and_neither_token_is_echoed_or_logged(
    make_app: Callable[..., tuple[Client, Container]],
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    subtests: pytest.Subtests,
) -> None:
    client, container = make_app(max_body_bytes=1024)
    insert_dangling_tile(container.engine(), "456", "gone")
    # The test's own HTTP client logs each URL it requests, the token in a query among them.
    caplog.set_level(logging.WARNING, logger="httpx")
    answers: list[httpx.Response] = []
    with capturing_every_log(caplog):
        for headers in _attempts():
            with subtests.test(headers=sorted(headers)):
                response = client.post(
                    EXPORT_DASHBOARDS,
                    content=b'["123"]',
                    headers={**headers, "Content-Type": "application/json"},
                    params={"access_token": TOKEN} if "X-Api-Key" in headers else None,
                )
                assert response.status_code == 401, response.text
                assert response.json()["errorCode"] == "notAuthorizedError"
                assert response.headers["www-authenticate"].startswith("Bearer")
                answers.append(response)
        # Failures of every kind with the right token: none may echo it either.
        for method, path, body, content_type, status, code in (
            ("POST", EXPORT_DASHBOARDS, b'["456"]', "application/json", 500, "serverError"),
            ("POST", EXPORT_DASHBOARDS, b"[1]", "application/json", 400, "badRequestError"),
            ("POST", EXPORT_DASHBOARDS, b'["nope"]', "application/json", 404, "notFoundError"),
            ("GET", EXPORT_DASHBOARDS, None, "application/json", 405, "methodNotAllowedError"),
            (
                "POST",
                EXPORT_DASHBOARDS,
                b"[" + b" " * 2000 + b"]",
                "application/json",
                413,
                "requestTooLarge",
            ),
            ("POST", EXPORT_DASHBOARDS, b"[]", "text/plain", 415, "badRequestError"),
            ("POST", "/api/public/import", b"[]", "application/json", 400, "badRequestError"),
        ):
            response = client.request(
                method, path, content=body, headers={**AUTH, "Content-Type": content_type}
            )
            assert (response.status_code, response.json()["errorCode"]) == (status, code), (
                method,
                path,
                response.text,
            )
            answers.append(response)
    output = capfd.readouterr()
    logged = caplog.text + "".join(
        f"{r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in caplog.records
    )
    assert caplog.records, "the failures above should have logged something"
    for secret in (TOKEN, WRONG_TOKEN):
        for response in answers:
            assert secret not in response.text
            assert not any(secret in value for value in response.headers.values())
        assert secret not in logged
        assert secret not in output.out
        assert secret not in output.err


def test_the_token_is_not_in_the_openapi_document(
    make_app: Callable[..., tuple[Client, Container]],
) -> None:
    client, _ = make_app()
    for path in ("/schema/openapi.json", "/schema/openapi.yaml", "/schema"):
        assert TOKEN not in client.get(path).text


@pytest.mark.parametrize("token", [None, ""])
def test_with_no_token_configured_every_public_request_is_refused(
    make_app: Callable[..., tuple[Client, Container]],
    subtests: pytest.Subtests,
    token: str | None,
) -> None:
    client, _ = make_app(api_access_token=token)
    document = client.get("/schema/openapi.json").json()
    operations = [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if path.startswith("/api/public/")
    ]
    assert len(operations) == 24
    guesses = ["", "None", "null", "undefined", "false", "0", TOKEN]
    for method, path in operations:
        concrete = path.replace("{report_id}", "123").replace("{dashboard_id}", "123")
        concrete = concrete.replace("{collection_id}", "7d1c0a52-6f4e-4b8e-9a51-3c2f1e0b9d11")
        concrete = re.sub(r"\{[a-z_]+\}", "1", concrete)  # a change, an entity, a revision
        for guess in guesses:
            with subtests.test(method=method, path=path, guess=guess):
                response = client.request(
                    method,
                    concrete + "?collectionId=7d1c0a52-6f4e-4b8e-9a51-3c2f1e0b9d11",
                    content=b"[]",
                    headers={
                        "Authorization": f"Bearer {guess}",
                        "Content-Type": "application/json",
                    },
                )
                assert response.status_code == 401, response.text
                body = response.json()
                assert body["errorCode"] == "notAuthorizedError"
                assert "No API access token is configured" in body["detailedMessage"]
    with subtests.test(kind="still open"):
        assert client.get("/api/readyz").status_code == 200
        assert client.get("/schema/openapi.json").status_code == 200
    with subtests.test(kind="nothing was changed"):
        assert client.post(EXPORT_DASHBOARDS, json=["123"], headers=AUTH).status_code == 401


PATH_SPELLINGS = [
    "/api/public/collection",
    "//api/public/collection",
    "/api//public/collection",
    "/api/public//collection",
    "//api//public//collection//",
    "/api/public/collection/",
    "/api/public/collection/.",
    "/api/public/./collection",
    "/api/./public/collection",
    "/./api/public/collection",
    "/api/public/../public/collection",
    "/api/x/../public/collection",
    "/API/public/collection",
    "/api/Public/collection",
    "/api/public/collection;x",
    "/api/public/collection%20",
]


def test_no_spelling_of_a_path_gets_around_the_token(
    make_app: Callable[..., tuple[Client, Container]], subtests: pytest.Subtests
) -> None:
    client, _ = make_app()
    app = client.app
    for path in PATH_SPELLINGS:
        with subtests.test(path=path):
            status, headers, body = asgi_request(app, "GET", path)
            assert status in {401, 404}, (status, body)
            assert headers["content-type"] == "application/json"
            assert headers["x-content-type-options"] == "nosniff"
            authorized, _, _ = asgi_request(app, "GET", path, AUTH)
            assert authorized < 500
            if status == 401:  # it routes to a handler: the token, and only it, opens it
                assert authorized != 401
