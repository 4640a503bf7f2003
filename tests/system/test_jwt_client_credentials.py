"""An OAuth client end to end, with real processes: a token server, `boardport serve` trusting
its key set (and no static token), and curl doing what Camunda's docs print: fetch a
client-credentials token, then call the public API with it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.system.servers import Server, running_server

CLIENT_ID, CLIENT_SECRET = "github-actions", "actions-secret-0123456789"
AUDIENCE = "optimize-api"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def token_server() -> Iterator[dict[str, str]]:
    """`python -m tests.token_server` as a process of its own; its URLs."""
    process = subprocess.Popen(  # noqa: S603 - our own test helper
        [
            sys.executable,
            "-m",
            "tests.token_server",
            "--client",
            f"{CLIENT_ID}:{CLIENT_SECRET}",
            "--audience",
            AUDIENCE,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        urls: dict[str, str] = json.loads(process.stdout.readline())
        yield urls
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@pytest.fixture
def boardport(token_server: dict[str, str], tmp_path: Path) -> Iterator[Server]:
    settings = {
        "BOARDPORT_API_ACCESS_TOKEN": "",
        "OPTIMIZE_API_ACCESS_TOKEN": "",
        # Optimize's own variable names, as an existing deployment has them.
        "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWK_SET_URI": token_server["jwks_url"],
        "CAMUNDA_OPTIMIZE_API_AUDIENCE": AUDIENCE,
        "BOARDPORT_JWT_ISSUER": token_server["issuer"],
    }
    database = f"sqlite:///{tmp_path / 'boardport.sqlite3'}"
    with running_server(database, tmp_path, settings=settings) as server:
        yield server


def curl(*arguments: str) -> tuple[int, str]:
    """curl's answer: the status code and the body."""
    result = subprocess.run(  # noqa: S603
        ["curl", "-sS", "--max-time", "20", "-w", "\n%{http_code}", *arguments],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    body, _, status = result.stdout.rpartition("\n")
    return int(status), body


def test_a_client_credentials_token_from_curl_opens_the_public_api(
    token_server: dict[str, str], boardport: Server
) -> None:
    status, body = curl(
        "-X", "POST", token_server["token_url"],
        "-H", "Content-Type: application/x-www-form-urlencoded",
        "--data-urlencode", "grant_type=client_credentials",
        "--data-urlencode", f"audience={AUDIENCE}",
        "--data-urlencode", f"client_id={CLIENT_ID}",
        "--data-urlencode", f"client_secret={CLIENT_SECRET}",
    )  # fmt: skip
    assert status == 200, body
    token = json.loads(body)["access_token"]
    bearer = f"Authorization: Bearer {token}"
    api = f"{boardport.url}/api/public"

    status, body = curl(
        "-X", "POST", f"{api}/collection/create", "-H", bearer,
        "-H", "Content-Type: application/json", "-d", '{"name": "From CI"}',
    )  # fmt: skip
    assert status == 200, body
    collection = json.loads(body)["id"]
    status, body = curl(f"{api}/collection", "-H", bearer)
    assert status == 200, body
    assert {"id": collection, "name": "From CI"} in json.loads(body)

    # client_secret_basic, a token for another audience: refused, and told why.
    status, body = curl(
        "-X", "POST", token_server["token_url"], "-u", f"{CLIENT_ID}:{CLIENT_SECRET}",
        "-d", "grant_type=client_credentials", "-d", "audience=zeebe-api",
    )  # fmt: skip
    assert status == 200, body
    other = json.loads(body)["access_token"]
    status, body = curl(f"{api}/collection", "-H", f"Authorization: Bearer {other}")
    assert status == 401
    refusal = json.loads(body)
    assert refusal["errorCode"] == "notAuthorizedError"
    assert "audience" in refusal["detailedMessage"]
    assert other not in body

    status, body = curl(f"{api}/collection", "-H", "Authorization: Bearer not-a-jwt")
    assert status == 401
    assert "well-formed" in json.loads(body)["detailedMessage"]
    log = boardport.log.read_text()
    assert token not in log
    assert other not in log
