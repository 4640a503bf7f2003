"""Where the harness finds the project and keeps its temporary files."""

from __future__ import annotations

import socket
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "benchmarks" / ".work"
VENV_BIN = REPO / ".venv" / "bin"
BOARDPORT = VENV_BIN / "boardport"
PYTHON = VENV_BIN / "python"
PY_SPY = VENV_BIN / "py-spy"
RESULTS_MD = REPO / "benchmarks" / "RESULTS.md"

# A throwaway token for the servers the harness starts.
TOKEN = "benchmark-token-5f0c3e9a"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def work_dir(*parts: str) -> Path:
    """A folder under benchmarks/.work (git-ignored), created on first use."""
    folder = WORK.joinpath(*parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
