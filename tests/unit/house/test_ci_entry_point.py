"""`.ci/run` is what CI runs: it must run under CI=true whatever the environment says, or an
inherited CI=false turns a missing database's failures back into skips."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

CI_RUN = Path(__file__).resolve().parents[3] / ".ci" / "run"


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


@pytest.mark.parametrize("inherited", ["false", "0", "", None])
def test_ci_run_sets_ci_true_whatever_it_inherits(tmp_path: Path, inherited: str | None) -> None:
    # `make` and `pg_isready` replaced by stubs: the test sees what `make test` would be run with.
    _stub(tmp_path, "make", 'echo "CI=${CI-unset} $*"')
    _stub(tmp_path, "pg_isready", "exit 0")
    environ = {k: v for k, v in os.environ.items() if k != "CI"}
    environ["PATH"] = f"{tmp_path}{os.pathsep}{environ['PATH']}"
    if inherited is not None:
        environ["CI"] = inherited
    finished = subprocess.run(  # noqa: S603 - our own script
        [str(CI_RUN)], env=environ, capture_output=True, text=True, timeout=30, check=True
    )
    assert finished.stdout.strip() == "CI=true test"
