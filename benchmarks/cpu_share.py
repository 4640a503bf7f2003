"""How much CPU other work took while the harness ran: the machine's busy time less the bench's
own, read from /proc. The load average cannot tell them apart: the bench itself (a server, wrk,
PostgreSQL) keeps one to two cores busy, so a load of 1.4 says nothing about anyone else.

The bench's own processes are the harness and everything it started (wrk, the servers, the
client), and PostgreSQL's processes, which serve the bench's queries. A process's CPU time
stays with it while it lives and passes to its parent's "children" time when reaped, so the
sum over the bench's live processes of their own and their reaped children's time only ever
grows with the bench's work, whichever of them has exited meanwhile."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

POSTGRES_NAMES = ("postgres", "postmaster")


@dataclass(frozen=True, slots=True)
class ProcessTimes:
    parent: int
    name: str
    ticks: int
    """Its own user and system time plus that of its reaped children, in clock ticks."""


@dataclass(frozen=True, slots=True)
class CpuSnapshot:
    at: float
    """time.monotonic() when it was read."""
    busy_ticks: int
    """The machine's busy time over every core since boot, in clock ticks."""
    processes: dict[int, ProcessTimes] = field(default_factory=dict)


def bench_ticks(snapshot: CpuSnapshot, root: int) -> int:
    """Ticks used by `root`, its descendants and PostgreSQL's processes."""
    processes = snapshot.processes
    own: dict[int, bool] = {}

    def is_own(pid: int) -> bool:
        seen: list[int] = []
        answer = False
        while pid in processes and pid not in own:
            seen.append(pid)
            if pid == root or processes[pid].name.startswith(POSTGRES_NAMES):
                answer = True
                break
            pid = processes[pid].parent
        else:
            answer = own.get(pid, False)
        own.update(dict.fromkeys(seen, answer))
        return answer

    return sum(times.ticks for pid, times in processes.items() if is_own(pid))


def others_cores(before: CpuSnapshot, after: CpuSnapshot, root: int, ticks_per_s: int) -> float:
    """Cores' worth of CPU that work other than the bench took between two snapshots."""
    elapsed = after.at - before.at
    if elapsed <= 0:
        return 0.0
    busy = after.busy_ticks - before.busy_ticks
    own = bench_ticks(after, root) - bench_ticks(before, root)
    return max(0, busy - own) / ticks_per_s / elapsed


def _busy_ticks(stat: str) -> int:
    """From /proc/stat's first line: user, nice, system, irq and softirq (not idle, I/O wait or
    time stolen by the hypervisor)."""
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in stat.split()[1:8])
    return user + nice + system + irq + softirq


def _process_times(text: str) -> ProcessTimes:
    """From /proc/PID/stat: the name sits in parentheses and may hold anything, so the fields
    are counted from its closing one."""
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return ProcessTimes(int(fields[1]), name, utime + stime + cutime + cstime)


def read_snapshot(proc: Path = Path("/proc")) -> CpuSnapshot:
    at = time.monotonic()
    busy = _busy_ticks((proc / "stat").read_text().split("\n", 1)[0])
    processes: dict[int, ProcessTimes] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            processes[int(entry.name)] = _process_times((entry / "stat").read_text())
        except (OSError, ValueError):
            continue  # it exited while being read
    return CpuSnapshot(at, busy, processes)


def process_ticks(pid: int, proc: Path = Path("/proc")) -> int:
    """The user and system time of one process (and of its reaped children), in clock ticks."""
    return _process_times((proc / str(pid) / "stat").read_text()).ticks


def ticks_per_second() -> int:
    return os.sysconf("SC_CLK_TCK")
