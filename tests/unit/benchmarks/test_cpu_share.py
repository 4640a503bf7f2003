"""The bench tells its own CPU time from other work's (benchmarks.cpu_share)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from benchmarks.cpu_share import (
    CpuSnapshot,
    ProcessTimes,
    bench_ticks,
    others_cores,
    read_snapshot,
    ticks_per_second,
)

HARNESS, SERVER, WRK, POSTMASTER, BACKEND, STRANGER, INIT = 100, 101, 102, 50, 51, 200, 1


def snapshot(at: float, busy: int, **ticks: int) -> CpuSnapshot:
    tree = {
        INIT: ProcessTimes(0, "init", 0),
        HARNESS: ProcessTimes(INIT, "python", ticks.get("harness", 0)),
        SERVER: ProcessTimes(HARNESS, "boardport", ticks.get("server", 0)),
        WRK: ProcessTimes(HARNESS, "wrk", ticks.get("wrk", 0)),
        POSTMASTER: ProcessTimes(INIT, "postgres", ticks.get("postmaster", 0)),
        BACKEND: ProcessTimes(POSTMASTER, "postgres: 15/main: postgres bench", 0),
        STRANGER: ProcessTimes(INIT, "pytest", ticks.get("stranger", 0)),
    }
    return CpuSnapshot(at, busy, tree)


def test_the_harness_its_children_and_postgresql_are_the_bench_and_nothing_else() -> None:
    taken = snapshot(0.0, 0, harness=1, server=20, wrk=300, postmaster=4000, stranger=50000)
    assert bench_ticks(taken, HARNESS) == 4321


def test_other_work_is_the_busy_time_less_the_bench_in_cores() -> None:
    before = snapshot(10.0, 1000, harness=10, server=100, wrk=100, postmaster=10, stranger=0)
    # 2 s at 100 ticks/s: the bench took 250 ticks, a stranger 100 (half a core).
    after = snapshot(12.0, 1350, harness=20, server=200, wrk=200, postmaster=50, stranger=100)
    assert others_cores(before, after, HARNESS, 100) == 0.5
    quiet = snapshot(12.0, 1250, harness=20, server=200, wrk=200, postmaster=50)
    assert others_cores(before, quiet, HARNESS, 100) == 0.0


def test_a_child_that_exits_passes_its_time_to_its_parent_and_stays_the_bench() -> None:
    before = snapshot(0.0, 0, harness=10, wrk=90)
    after = snapshot(1.0, 300, harness=400)  # wrk reaped: its 90 + 200 more are the harness's
    del after.processes[WRK]
    assert others_cores(before, after, HARNESS, 100) == 0.0


def test_a_process_burning_a_core_outside_the_bench_is_seen() -> None:
    """Real /proc: this test process burns CPU while the bench's root is a sleeping child."""
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        before = read_snapshot()
        spent = time.process_time()
        ended = time.monotonic() + 0.4
        while time.monotonic() < ended:
            sum(range(1000))  # user time: the clock read above is not a system call
        spent = time.process_time() - spent
        after = read_snapshot()
        assert others_cores(before, after, sleeper.pid, ticks_per_second()) > 0.3 * spent / 0.4
        burnt = after.processes[os.getpid()].ticks - before.processes[os.getpid()].ticks
        assert burnt >= 0.8 * spent * ticks_per_second()
    finally:
        sleeper.kill()
        sleeper.wait()
