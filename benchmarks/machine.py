"""What machine the figures come from, and how busy it was."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.checkouts import git
from benchmarks.cpu_share import CpuSnapshot, others_cores, read_snapshot, ticks_per_second
from benchmarks.paths import REPO

BUSY_PEAK_CORES = 0.25
BUSY_AVERAGE_CORES = 0.1


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
    try:
        commit = git("rev-parse", "HEAD", repo=repo, timeout=30)
        changed = git("status", "--porcelain", "--untracked-files=no", repo=repo, timeout=30)
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
    reclaim: str | None = field(default_factory=memory_reclaim)
    others: list[float] = field(default_factory=list)
    """Cores' worth of CPU taken by work other than the bench, one figure per interval between
    samples (each scenario run is one)."""
    _first: CpuSnapshot = field(default_factory=read_snapshot)
    _last: CpuSnapshot | None = None

    def sample(self) -> None:
        """Closes the interval since the previous sample (or the start)."""
        now = read_snapshot()
        self.others.append(
            others_cores(self._last or self._first, now, os.getpid(), ticks_per_second())
        )
        self._last = now

    def finish(self) -> None:
        self.sample()
        self.uptime_after = uptime()

    @property
    def others_on_average(self) -> float:
        if self._last is None:
            return 0.0
        return others_cores(self._first, self._last, os.getpid(), ticks_per_second())

    def busy_note(self) -> str:
        """Whether other work used the machine: its CPU time, the bench's own (the harness,
        what it started, PostgreSQL) set aside; see benchmarks.cpu_share."""
        peak = max(self.others, default=0.0)
        average = self.others_on_average
        said = (
            f"other work took {average:.2f} of {self.cores} cores on average, "
            f"at most {peak:.2f} during one scenario run"
        )
        if peak >= BUSY_PEAK_CORES or average >= BUSY_AVERAGE_CORES:
            return (
                f"BUSY: {said}; it competed for CPU, so the absolute figures are pessimistic "
                "and the ratios noisier."
            )
        return f"quiet: {said}"

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
