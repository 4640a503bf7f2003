"""Other commits of this repository checked out beside it, so that the harness can run their
code (`boardport` with PYTHONPATH set to the checkout, in this checkout's venv)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.paths import REPO, work_dir


@contextmanager
def worktree(label: str, revision: str) -> Iterator[tuple[str, Path]]:
    """The commit `revision` checked out (detached) under benchmarks/.work/checkouts for the
    block, as (its full hash, its folder); removed afterwards."""
    commit = git("rev-parse", "--verify", f"{revision}^{{commit}}")
    folder = work_dir("checkouts") / f"{label}-{commit[:12]}"
    if folder.exists():  # left by a run that was killed
        shutil.rmtree(folder)
    git("worktree", "prune")
    git("worktree", "add", "--detach", "--quiet", str(folder), commit)
    try:
        yield commit, folder
    finally:
        git("worktree", "remove", "--force", str(folder))


def git(*arguments: str, repo: Path = REPO, timeout: float = 120.0) -> str:
    """What `git -C repo ARGUMENTS` prints, stripped; raises when it fails."""
    done = subprocess.run(
        ["git", "-C", str(repo), *arguments],
        capture_output=True,
        text=True,
        check=True,
        timeout=timeout,
    )
    return done.stdout.strip()
