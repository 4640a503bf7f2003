"""The client commands start without the server's stack: `boardport pull`, `push`, `plan`,
`migrate`, and `list`, `history` and `revert` with `--from` import neither the web framework nor
the database layer (seconds of start-up on a loaded machine, paid by every run of a script or a
CI job). Each command runs in a
fresh interpreter, to its end, against a loopback port where nothing listens."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from entrypoints.runtime import SWITCH_SECONDS

SERVER_ONLY = ("litestar", "sqlalchemy", "sqlmodel", "uvicorn", "alembic", "psycopg")
UNUSED_EXTRAS = ("pydantic", "yaml", "werkzeug", "rich", "pygments")
"""What dependency-injector and httpx would import if let (entrypoints.runtime)."""
PROBE = """
import gc, json, sys
from entrypoints.cli.main import cli
try:
    cli(sys.argv[1:], prog_name="boardport")
except SystemExit as end:
    code = end.code
else:
    code = 0
roots = sorted({name.split(".")[0] for name in sys.modules})
tuned = {"switch": sys.getswitchinterval(), "frozen": gc.get_freeze_count()}
print(json.dumps({"exit": code, "roots": roots, "tuned": tuned}))
"""
RUN_SECONDS = 120
PYTHON_SWITCH_SECONDS = 0.005


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _run(args: list[str]) -> dict[str, Any]:
    """What the probe says of the command run to its end."""
    environ = {
        "PATH": "/usr/bin:/bin",
        "BOARDPORT_SOURCE_TOKEN": "a-token-long-enough-for-the-client",
        "BOARDPORT_TARGET_TOKEN": "a-token-long-enough-for-the-client",
        "BOARDPORT_CLIENT_ATTEMPTS": "1",
    }
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", PROBE, *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert last.startswith("{"), done.stderr
    document: dict[str, Any] = json.loads(last)
    return document


def _loaded_by(args: list[str]) -> tuple[object, set[str]]:
    """(exit code, top-level modules loaded) of the command run to its end."""
    document = _run(args)
    return document["exit"], set(document["roots"])


def _commands(folder: Path) -> dict[str, list[str]]:
    server = f"http://127.0.0.1:{_closed_port()}"
    other = f"http://127.0.0.1:{_closed_port()}"
    return {
        "help": ["--help"],
        "pull": ["pull", str(folder / "pulled"), "--from", server, "--collection", "c"],
        "push": ["push", str(folder), "--to", server, "--collection", "c"],
        "plan": ["plan", str(folder), "--to", server, "--collection", "c"],
        "migrate": [
            *("migrate", "--from", server, "--collection", "c"),
            *("--to", other, "--to-collection", "t"),
        ],
        "list": ["list", "dashboards", "--collection", "c", "--from", server],
        "history": ["history", "--from", server],
        "revert": ["revert", "12", "--from", server],
    }


@pytest.mark.parametrize(
    "command", ["help", "pull", "push", "plan", "migrate", "list", "history", "revert"]
)
def test_a_client_command_loads_nothing_of_the_server(command: str, tmp_path: Path) -> None:
    exit_code, roots = _loaded_by(_commands(tmp_path)[command])
    # The command ran to its end: usage shown, or the unreachable server reported.
    assert exit_code == (0 if command == "help" else 1)
    assert "click" in roots  # the probe saw the command's own imports
    assert sorted(roots.intersection(SERVER_ONLY)) == []
    assert sorted(roots.intersection(UNUSED_EXTRAS)) == []


def test_migrate_tunes_the_interpreter_for_its_work(tmp_path: Path) -> None:
    """The objects of start-up frozen out of the collector's scans, and a short switch
    interval for the thread reading the next export (entrypoints.runtime): scenario 9 of the
    benchmark measures both (docs/performance.md)."""
    tuned = _run(_commands(tmp_path)["migrate"])["tuned"]
    assert tuned["frozen"] > 0
    assert tuned["switch"] == SWITCH_SECONDS < PYTHON_SWITCH_SECONDS


@pytest.mark.parametrize("command", ["pull", "push", "plan", "list"])
def test_the_other_client_commands_run_the_interpreter_as_it_comes(
    command: str, tmp_path: Path
) -> None:
    """No benchmark scenario measures pull, push or list, so none of them is tuned; nor plan,
    whose scenario reads a directory on one thread."""
    tuned = _run(_commands(tmp_path)[command])["tuned"]
    assert tuned == {"frozen": 0, "switch": PYTHON_SWITCH_SECONDS}


def test_a_server_command_still_finds_its_modules(tmp_path: Path) -> None:
    """The lazy imports are real imports: `db upgrade` loads the database layer when it runs."""
    database = f"sqlite:///{tmp_path / 'lazy.sqlite3'}"
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", PROBE, "db", "upgrade"],
        env={"PATH": "/usr/bin:/bin", "BOARDPORT_DATABASE_URL": database},
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    document = json.loads(done.stdout.strip().splitlines()[-1])
    assert document["exit"] == 0, done.stderr
    assert {"sqlalchemy", "sqlmodel", "alembic"} <= set(document["roots"])
    assert "pydantic" in document["roots"]  # hidden from dependency-injector only
