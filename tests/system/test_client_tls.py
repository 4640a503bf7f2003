"""The client over TLS, against a real HTTPS endpoint on 127.0.0.1: boardport's app served by
uvicorn with a server certificate that a private CA (made here with `cryptography`) signed.
TLS is verified by default: without `--ca-cert` the client refuses, clearly and writing
nothing; `--ca-cert` adds the private CA to the default trust."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from adapters.sqlmodel.migrate import upgrade_database
from entrypoints.container import build_container
from entrypoints.demo.loader import demo_seed
from entrypoints.settings import Settings
from tests.conftest import TOKEN
from tests.system.certificates import Authority
from tests.system.servers import STARTUP_SECONDS, free_port, stop_process_group
from tests.system.test_client import DEMO_COLLECTION, boardport_process


@dataclass(frozen=True)
class HttpsServer:
    url: str
    ca_file: Path
    stranger_ca_file: Path
    """A CA that signed nothing this server shows."""


def _wait_until_ready(process: subprocess.Popen[bytes], url: str, ca_file: Path, log: Path) -> None:
    trusting = ssl.create_default_context(cafile=str(ca_file))
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/api/readyz", verify=trusting, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the HTTPS server did not become ready:\n{log.read_text()}")


@pytest.fixture(scope="module")
def https_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpsServer]:
    """boardport's app with the demo data on SQLite, served over TLS by uvicorn's --ssl-*."""
    folder = tmp_path_factory.mktemp("tls")
    database_url = f"sqlite:///{folder / 'source.sqlite3'}"
    demo = build_container(Settings(database_url=database_url))
    upgrade_database(demo.engine())
    demo.load_seed()(demo_seed())
    demo.engine().dispose()
    authority = Authority.make("boardport test private CA")
    certificate_file, key_file = authority.server_certificate(folder)
    port = free_port()
    environ = {
        **os.environ,
        "BOARDPORT_DATABASE_URL": database_url,
        "BOARDPORT_API_ACCESS_TOKEN": TOKEN,
        "BOARDPORT_LOG_LEVEL": "warning",
    }
    log = folder / "uvicorn.log"
    argv = [
        sys.executable, "-m", "uvicorn", "entrypoints.asgi:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        "--ssl-certfile", str(certificate_file), "--ssl-keyfile", str(key_file),
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - this interpreter, a fixed module
            argv, env=environ, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"https://127.0.0.1:{port}"
    ca_file = authority.write(folder / "private-ca.pem")
    try:
        _wait_until_ready(process, url, ca_file, log)
        stranger = Authority.make("another CA").write(folder / "stranger-ca.pem")
        yield HttpsServer(url, ca_file, stranger)
    finally:
        stop_process_group(process)


def _pull(server: HttpsServer, directory: Path, *ca: str) -> tuple[int, str, str]:
    run = boardport_process(
        "pull", str(directory), "--from", server.url, "--collection", DEMO_COLLECTION, *ca
    )
    return run.returncode, run.stdout, run.stderr


def _files(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


@pytest.mark.parametrize("trusted", ["default", "another CA"])
def test_a_certificate_of_a_private_ca_is_refused_without_that_ca(
    https_server: HttpsServer, tmp_path: Path, trusted: str
) -> None:
    directory = tmp_path / "pulled"
    ca = [] if trusted == "default" else ["--ca-cert", str(https_server.stranger_ca_file)]
    returncode, stdout, stderr = _pull(https_server, directory, *ca)
    assert returncode == 1, stdout
    error = stderr.strip().splitlines()[-1]  # after the progress lines, one line
    assert error.startswith("source https://127.0.0.1:"), stderr
    assert ": serverUnreachable: GET https://127.0.0.1:" in error
    assert "TLS certificate could not be verified" in error
    assert "--ca-cert FILE" in error
    assert "Traceback" not in stderr
    assert not directory.exists() or _files(directory) == []


def test_pull_works_with_the_private_ca_added(https_server: HttpsServer, tmp_path: Path) -> None:
    directory = tmp_path / "pulled"
    returncode, _stdout, stderr = _pull(
        https_server, directory, "--ca-cert", str(https_server.ca_file)
    )
    assert returncode == 0, stderr
    files = _files(directory)
    assert len([p for p in files if p.startswith("reports/")]) == 6
    assert len([p for p in files if p.startswith("dashboards/")]) == 2


def test_a_ca_file_that_holds_no_certificate_is_a_clear_failure(
    https_server: HttpsServer, tmp_path: Path
) -> None:
    not_a_certificate = tmp_path / "ca.pem"
    not_a_certificate.write_text("this is not a certificate\n")
    directory = tmp_path / "pulled"
    returncode, stdout, stderr = _pull(https_server, directory, "--ca-cert", str(not_a_certificate))
    assert returncode == 1, stdout
    assert stderr.strip().splitlines()[-1].startswith("fileError: "), stderr
    assert "Traceback" not in stderr
    assert not directory.exists() or _files(directory) == []
