"""Resident memory of a server and its workers, read from /proc (Linux only).

A peak is measured as the issue asks: write 5 to /proc/PID/clear_refs to reset each process's
high-water mark to its current RSS, run the request, then read VmHWM and subtract the idle VmRSS
read just before the reset.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

PROC = Path("/proc")


def process_tree(root: int) -> list[int]:
    """`root` and every live descendant of it."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (field 2) is in parentheses and may contain spaces.
        fields = stat[stat.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: list[int] = []
    stack = [root]
    while stack:
        pid = stack.pop()
        if pid == root and not (PROC / str(pid)).exists():
            return []
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def status_kb(pid: int, field: str) -> int:
    """A `kB` field of /proc/PID/status, such as VmRSS or VmHWM."""
    for line in (PROC / str(pid) / "status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise KeyError(f"/proc/{pid}/status has no {field}")


def rss_bytes(pids: Iterable[int]) -> dict[int, int]:
    return {pid: status_kb(pid, "VmRSS") * 1024 for pid in pids}


def reset_peaks(pids: Iterable[int]) -> None:
    for pid in pids:
        (PROC / str(pid) / "clear_refs").write_text("5")


def peak_above(idle: Mapping[int, int]) -> int:
    """Bytes by which the processes' peaks since `reset_peaks` exceed their idle RSS, summed."""
    total = 0
    for pid, idle_bytes in idle.items():
        try:
            peak = status_kb(pid, "VmHWM") * 1024
        except (OSError, KeyError):
            continue
        total += max(0, peak - idle_bytes)
    return total


class PeakMeter:
    """Measures the peak RSS above idle of a process tree around one piece of work:
    `meter.start()`, the work, then `meter.stop()` answers bytes."""

    def __init__(self, root_pid: int) -> None:
        self._root = root_pid
        self._idle: dict[int, int] = {}

    def start(self) -> None:
        pids = process_tree(self._root)
        self._idle = rss_bytes(pids)
        reset_peaks(pids)

    def stop(self) -> int:
        return peak_above(self._idle)

    @property
    def idle_bytes(self) -> int:
        return sum(self._idle.values())
