"""What the client says, with real processes on loopback: every error names the server it came
from; an unknown collection, a target that is not an Optimize API, TLS to a plain-HTTP port and
a Retry-After longer than allowed each end the run with one line; each wait is said and counted;
the token server is retried like any server; --quiet prints the counts only."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import TOKEN
from tests.system.deploys import DEMO_ENTITIES, DeployServers, fresh_collection
from tests.system.fault_proxy import Fault, ProxyState, fault_proxy
from tests.system.test_client import DEMO_COLLECTION, Run, boardport, migrate_args
from tests.token_server import TOKEN_PATH, TokenServer

pytestmark = pytest.mark.parametrize("deploy_servers", ["sqlite"], indirect=True)
EXPORT = "/api/public/export/dashboard"


def test_an_unknown_source_collection_is_a_404_naming_the_source_and_nothing_is_written(
    deploy_servers: DeployServers, tmp_path: Path
) -> None:
    source = deploy_servers.source.url
    run = boardport("pull", str(tmp_path / "pulled"), "--from", source, "--collection", "nope")
    assert run.returncode == 1
    assert run.stderr.splitlines()[-1] == (
        f"source {source}: notFoundError: Could not find collections with IDs [nope]"
    )
    assert not (tmp_path / "pulled").exists()


class _WebSite(BaseHTTPRequestHandler):
    """A web server that answers every path with a page."""

    def do_GET(self) -> None:
        page = b"<html><body>Our intranet. Internal notes: do not share.</body></html>"
        self.send_response(404 if "/api/" in self.path else 200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet."""


@pytest.fixture
def web_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _WebSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_server_that_is_not_an_optimize_api_gets_one_line_naming_its_url(
    deploy_servers: DeployServers, web_site: str
) -> None:
    run = boardport("list", "reports", "--from", web_site, "--collection", "c")
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith(f"source {web_site}: notAnOptimizeApi: GET {web_site}/api/")
    assert f"is {web_site} the address of an Optimize API?" in run.stderr
    assert "intranet" not in run.stderr


def test_tls_to_a_plain_http_port_fails_at_once_with_a_hint(
    deploy_servers: DeployServers, tmp_path: Path
) -> None:
    https = deploy_servers.source.url.replace("http://", "https://")
    run = boardport("pull", str(tmp_path), "--from", https, "--collection", DEMO_COLLECTION)
    assert run.returncode == 1
    assert "answered the TLS handshake in plain HTTP" in run.stderr
    assert "is it http://?" in run.stderr
    assert "waiting" not in run.stderr  # not tried again


def test_a_retry_after_longer_than_the_longest_wait_ends_the_run_with_a_message(
    deploy_servers: DeployServers,
) -> None:
    collection_id = fresh_collection(deploy_servers)
    with fault_proxy(deploy_servers.source.url) as (url, proxy):
        proxy.faults.append(Fault("POST", EXPORT, "429", retry_after="600"))
        args = migrate_args(collection_id, source=url, target=deploy_servers.target.url)
        run = boardport(*args, BOARDPORT_CLIENT_MAX_WAIT_SECONDS="30")
    assert run.returncode == 1
    assert f"source {url}: http429: the source asked to wait 600 s" in run.stderr
    assert "BOARDPORT_CLIENT_MAX_WAIT_SECONDS (30)" in run.stderr
    assert proxy.outcomes("POST", EXPORT) == ["429"]


def test_each_wait_is_said_as_the_run_goes_and_counted_in_the_summary(
    deploy_servers: DeployServers,
) -> None:
    collection_id = fresh_collection(deploy_servers)
    with fault_proxy(deploy_servers.source.url) as (url, proxy):
        proxy.faults.append(Fault("POST", EXPORT, "503", times=2))
        args = migrate_args(collection_id, source=url, target=deploy_servers.target.url)
        run = boardport(*args)
    assert run.returncode == 0, run.stderr
    waits = [line for line in run.stderr.splitlines() if line.startswith("waiting ")]
    assert len(waits) == 2
    assert all(line.endswith(": the source answered 503") for line in waits)
    assert "retries 2" in run.stdout


def test_quiet_prints_the_summarys_counts_only(deploy_servers: DeployServers) -> None:
    collection_id = fresh_collection(deploy_servers)
    args = migrate_args(
        collection_id, source=deploy_servers.source.url, target=deploy_servers.target.url
    )
    run = boardport(*args, "--quiet")
    assert run.returncode == 0, run.stderr
    assert run.stdout == (
        f"created {DEMO_ENTITIES}  updated 0  unchanged 0  deleted 0  retries 0\n"
    )
    assert run.stderr == ""


@contextmanager
def token_granting_source(
    servers: DeployServers,
) -> Iterator[tuple[str, TokenServer, str, ProxyState]]:
    """(the source's URL, the token server, its token URL through a fault proxy, that proxy):
    the source takes the tokens the token server grants (a proxy turns them into its static
    token), and the grants go through a proxy that can fail them."""
    with (
        TokenServer() as tokens,
        fault_proxy(tokens.url) as (token_proxy_url, token_proxy),
        fault_proxy(servers.source.url) as (source_url, source_proxy),
    ):
        source_proxy.authorize = lambda header: (
            f"Bearer {TOKEN}" if tokens.valid((header or "").removeprefix("Bearer ")) else None
        )
        yield source_url, tokens, f"{token_proxy_url}{TOKEN_PATH}", token_proxy


def migrate_with_grant(
    servers: DeployServers, source_url: str, tokens: TokenServer, token_url: str
) -> Run:
    client_id, secret = next(iter(tokens.clients.items()))
    args = migrate_args(fresh_collection(servers), source=source_url, target=servers.target.url)
    return boardport(
        *args,
        BOARDPORT_SOURCE_TOKEN="",
        BOARDPORT_SOURCE_TOKEN_URL=token_url,
        BOARDPORT_SOURCE_CLIENT_ID=client_id,
        BOARDPORT_SOURCE_CLIENT_SECRET=secret,
        BOARDPORT_SOURCE_AUDIENCE=tokens.audience,
    )


def test_the_token_server_is_retried_like_any_server(deploy_servers: DeployServers) -> None:
    with token_granting_source(deploy_servers) as (source_url, tokens, token_url, proxy):
        proxy.faults.append(Fault("POST", TOKEN_PATH, "503", times=2))
        run = migrate_with_grant(deploy_servers, source_url, tokens, token_url)
    assert run.returncode == 0, run.stderr
    assert proxy.outcomes("POST", TOKEN_PATH) == ["503", "503", "forwarded"]
    waits = [line for line in run.stderr.splitlines() if line.startswith("waiting ")]
    assert [w.endswith(": the token server answered 503") for w in waits] == [True, True]
    assert "retries 2" in run.stdout


def test_a_token_server_that_keeps_failing_ends_with_its_own_message(
    deploy_servers: DeployServers,
) -> None:
    with token_granting_source(deploy_servers) as (source_url, tokens, token_url, proxy):
        proxy.faults.append(Fault("POST", TOKEN_PATH, "503", times=100))
        run = migrate_with_grant(deploy_servers, source_url, tokens, token_url)
    assert run.returncode == 1
    assert proxy.outcomes("POST", TOKEN_PATH) == ["503"] * 4
    assert (
        f"source {source_url}: tokenRequestFailed: the token server {token_url} answered 503 "
        "after 4 attempt(s)"
    ) in run.stderr
