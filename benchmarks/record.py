"""The markdown record of a run (benchmarks/RESULTS.md by default)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from benchmarks.machine import MachineLog
from benchmarks.results import Results, Row, markdown_table, runs_table
from benchmarks.scenarios import Options


def write_record(
    path: Path,
    *,
    started: datetime,
    argv: Sequence[str],
    options: Options,
    machine: MachineLog,
    results: Results,
    rows: Sequence[Row],
    note: str | None = None,
) -> None:
    command = " ".join(["python -m benchmarks.run", *argv])
    lines = [
        "# Benchmark results",
        "",
        "Written by `python -m benchmarks.run --record` (`make bench` runs the full set). Targets",
        "are issue 4's, compared on the medians of the runs; the baselines are the floor programs",
        "described in `benchmarks/floors.py` and `benchmarks/floor_app.py`.",
        "",
        *([f"**{note}**", ""] if note else []),
        f"- date: {started:%Y-%m-%d %H:%M} UTC",
        f"- measured commit: {machine.revision}",
        f"- command: `{command}`",
        (
            f"- runs: {options.runs}; servers: `boardport serve` with {options.workers} "
            f"worker(s); wrk {options.connections} connections, {options.wrk_threads} threads, "
            f"{options.duration_s}s (after {options.warmup_s}s of warm-up)"
        ),
        (
            f"- machine: {machine.cpu}, {machine.cores} cores, {machine.memory} RAM, "
            f"Linux {machine.kernel}"
        ),
        f"- software: Python {machine.python}, SQLite {machine.sqlite}, {machine.postgresql}",
        f"- load before: `{machine.uptime_before}`",
        f"- load after: `{machine.uptime_after}`",
        f"- {machine.busy_note()}",
        *(
            [f"- {machine.reclaim}: the harness reads the data before timing exports"]
            if machine.reclaim
            else []
        ),
        "",
        "## Summary",
        "",
        markdown_table(rows),
        "",
        "## Every figure",
        "",
        runs_table(results.samples),
        "",
    ]
    path.write_text("\n".join(lines))
