"""What machine the figures come from, and how busy it was."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.paths import REPO


def _proc_field(path: str, name: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def cpu_model() -> str:
    return _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown"


def memory_total() -> str:
    total = _proc_field("/proc/meminfo", "MemTotal")
    if total is None:
        return "unknown"
    return f"{int(total.split()[0]) / 1024 / 1024:.1f} GiB"


def source_revision(repo: Path) -> str:
    """The commit the run measured: its full hash, and whether the working tree differed from
    it (then the figures belong to no commit, and the record says so)."""

    def git(*arguments: str) -> str:
        return subprocess.run(
            ["git", "-C", str(repo), *arguments],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        changed = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{commit} (with uncommitted changes)" if changed else commit


def memory_reclaim() -> str | None:
    """Whether the kernel pages out cold memory by itself (DAMON `pageout`, as some VMs are set
    up): then data read a while ago may come from disk again."""
    for state in Path("/sys/kernel/mm/damon/admin/kdamonds").glob("*/state"):
        try:
            if state.read_text().strip() != "on":
                continue
            actions = {
                a.read_text().strip() for a in state.parent.glob("contexts/*/schemes/*/action")
            }
        except OSError:
            continue
        if "pageout" in actions:
            return "the kernel's DAMON pages out cold memory (page cache included)"
    return None


def uptime() -> str:
    done = subprocess.run(["uptime"], capture_output=True, text=True, check=False)
    if done.returncode == 0:
        return done.stdout.strip()
    one, five, fifteen = os.getloadavg()
    return f"load average: {one:.2f}, {five:.2f}, {fifteen:.2f}"


@dataclass(slots=True)
class MachineLog:
    """The machine's description and its load average before, during and after the run."""

    cpu: str = field(default_factory=cpu_model)
    cores: int = field(default_factory=lambda: os.cpu_count() or 0)
    memory: str = field(default_factory=memory_total)
    kernel: str = field(default_factory=platform.release)
    python: str = field(default_factory=platform.python_version)
    sqlite: str = sqlite3.sqlite_version
    postgresql: str = "not measured"
    revision: str = field(default_factory=lambda: source_revision(REPO))
    uptime_before: str = field(default_factory=uptime)
    uptime_after: str = ""
    loads: list[float] = field(default_factory=list)
    reclaim: str | None = field(default_factory=memory_reclaim)

    def sample_load(self) -> None:
        self.loads.append(os.getloadavg()[0])

    def finish(self) -> None:
        self.uptime_after = uptime()

    @property
    def load_before(self) -> float:
        return _first_load(self.uptime_before)

    def busy_note(self) -> str:
        """Whether something else was using the machine. The harness itself keeps about one
        core busy (server plus wrk, or the floors), so a 1-minute load above that is others'."""
        peak = max(self.loads, default=0.0)
        before = self.load_before
        if before >= 0.5 or peak >= self.cores + 0.5:
            return (
                f"BUSY: load {before:.2f} before the run, up to {peak:.2f} during it on "
                f"{self.cores} cores; other work (such as other agents' tests) competed for CPU, "
                "so the absolute figures are pessimistic and the ratios noisier."
            )
        return f"quiet: load {before:.2f} before the run, at most {peak:.2f} during it"

    def lines(self) -> list[str]:
        return [
            f"CPU: {self.cpu}, {self.cores} cores; RAM {self.memory}; Linux {self.kernel}",
            f"Python {self.python}; SQLite {self.sqlite}; {self.postgresql}",
            f"boardport commit {self.revision}",
            f"before: {self.uptime_before}",
            f"after:  {self.uptime_after}",
            self.busy_note(),
            *(
                [f"note: {self.reclaim}; the harness reads the data before timing exports"]
                if self.reclaim
                else []
            ),
        ]


def _first_load(text: str) -> float:
    _, _, averages = text.rpartition("load average:")
    try:
        return float(averages.split(",")[0])
    except ValueError:
        return 0.0
