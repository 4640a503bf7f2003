"""Server processes the harness starts and always stops: the real `boardport serve`, run exactly
as in production, and the floor server of `benchmarks.floor_app`."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from benchmarks.client import READYZ, request
from benchmarks.memory import process_tree
from benchmarks.paths import BOARDPORT, PYTHON, REPO, TOKEN, free_port, work_dir

START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 20.0
_INHERITED_PREFIXES = ("BOARDPORT_", "OPTIMIZE_")


class ServerFailed(RuntimeError):
    """A server did not start, or died; the message ends with the tail of its log."""


class ServerProcess:
    """One server as a subprocess in a session of its own: `start()` waits for GET /api/readyz
    to answer 200; `stop()` (also on leaving a `with` block, whatever happened) ends it with
    SIGTERM, as an operator would, and kills what is left of its process group."""

    def __init__(self, label: str, argv: Sequence[str], env: Mapping[str, str], port: int) -> None:
        self.label = label
        self.port = port
        self._argv = list(argv)
        self._env = dict(env)
        self.log_path = work_dir("logs") / f"{label}-{port}.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError(f"{self.label} is not running")
        return self._process.pid

    def pids(self) -> list[int]:
        """The server process and its workers."""
        return process_tree(self.pid)

    def start(self, timeout: float = START_TIMEOUT_S) -> Self:
        self._log = self.log_path.open("wb")
        self._process = subprocess.Popen(
            self._argv,
            env=self._env,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self.stop()
                raise ServerFailed(
                    f"{self.label} exited with {self._process.returncode}" + self._tail()
                )
            try:
                if request(self.port, "GET", READYZ, token=None, timeout=5).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise ServerFailed(
            f"{self.label} did not answer {READYZ} within {timeout:.0f}s" + self._tail()
        )

    def check_alive(self) -> None:
        if self._process is None or self._process.poll() is not None:
            raise ServerFailed(f"{self.label} is not running" + self._tail())

    def stop(self) -> None:
        process = self._process
        if process is None:
            return
        try:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(STOP_TIMEOUT_S)
            # Workers that outlived their supervisor are in the same process group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None

    def _tail(self, lines: int = 25) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n  log " + str(self.log_path) + ":\n    " + "\n    ".join(text[-lines:])

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _environment(settings: Mapping[str, str], code: Path | None = None) -> dict[str, str]:
    """The harness's environment without any boardport or Optimize settings of its own, plus
    exactly the given ones. `code`: a checkout of another commit whose packages are imported
    instead of this one's (same venv; see benchmarks.in_turns)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_INHERITED_PREFIXES)}
    env.update(settings)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    return env


def _server_settings(database_url: str, port: int, workers: int) -> dict[str, str]:
    return {
        "BOARDPORT_DATABASE_URL": database_url,
        "BOARDPORT_API_ACCESS_TOKEN": TOKEN,
        "BOARDPORT_PORT": str(port),
        "BOARDPORT_WORKERS": str(workers),
    }


def boardport_server(
    database_url: str,
    workers: int,
    extra: Mapping[str, str] | None = None,
    *,
    code: Path | None = None,
) -> ServerProcess:
    """`boardport serve` as production runs it: the installed command, configured only through
    its environment (`extra`: further BOARDPORT_* settings, such as a body limit)."""
    port = free_port()
    settings = {**_server_settings(database_url, port, workers), **(extra or {})}
    env = _environment(settings, code)
    return ServerProcess("boardport", [str(BOARDPORT), "serve"], env, port)


def floor_server(body: Path, workers: int) -> ServerProcess:
    """The floor of the one-export scenario: a bare Litestar app under the same uvicorn settings
    that answers the given bytes from memory (see benchmarks.floor_app)."""
    port = free_port()
    settings = _server_settings("sqlite:///unused", port, workers)
    settings["BENCH_FLOOR_BODY"] = str(body)
    env = _environment(settings)
    return ServerProcess("floor", [str(PYTHON), "-m", "benchmarks.floor_app"], env, port)


def run_cli(database_url: str, *args: str, code: Path | None = None) -> str:
    """Runs a `boardport` command on the database; answers its output."""
    env = _environment({"BOARDPORT_DATABASE_URL": database_url}, code)
    done = subprocess.run(
        [str(BOARDPORT), *args], env=env, cwd=REPO, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"boardport {' '.join(args)} failed: {done.stderr or done.stdout}")
    return done.stdout
