"""Real `boardport serve` processes for tests that need what a test client cannot give:
several worker processes, and a server that can be killed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import TOKEN

BOARDPORT = Path(sys.executable).with_name("boardport")
STARTUP_SECONDS = 120.0
"""A bound, not an expectation: a loaded machine (a parallel test run) starts slowly."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def client(self, timeout: float = 60.0) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=timeout
        )

    def kill(self) -> None:
        """SIGKILL to the server and every worker: no shutdown, no cleanup, as in a crash."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def stop_process_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to a server started in a session of its own and every worker, then SIGKILL when
    they have not ended within 15 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait_until_ready(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"boardport serve exited early:\n{server.log.read_text()}")
        try:
            if httpx.get(f"{server.url}/api/readyz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"boardport serve did not become ready:\n{server.log.read_text()}")


@contextmanager
def running_server(
    database_url: str,
    log_dir: Path,
    *,
    workers: int = 1,
    demo: bool = False,
    settings: Mapping[str, str] = {},
) -> Iterator[Server]:
    """`boardport serve` exactly as in production (with `demo`: `serve --demo`, the configured
    token kept), on a free loopback port; `settings` adds to or replaces its environment."""
    port = free_port()
    environ = {
        **os.environ,
        "BOARDPORT_DATABASE_URL": database_url,
        "BOARDPORT_API_ACCESS_TOKEN": TOKEN,
        "BOARDPORT_HOST": "127.0.0.1",
        "BOARDPORT_PORT": str(port),
        "BOARDPORT_WORKERS": str(workers),
        "BOARDPORT_LOG_LEVEL": "warning",
        **settings,
    }
    log = log_dir / f"server-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own console script
            [str(BOARDPORT), "serve", *(["--demo"] if demo else [])],
            env=environ,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_until_ready(server)
        yield server
    finally:
        stop_process_group(process)
