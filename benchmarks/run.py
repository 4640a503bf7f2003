"""Runs the benchmark of issue 4 and prints every figure against its target.

    python -m benchmarks.run [--runs 3] [--databases sqlite,postgresql]
                             [--scenarios one-export,big-export,big-import,growth,...,migrate]
                             [--payloads 3kb,25kb-xml] [--record] [--profile]

Each database is created for the run (SQLite under benchmarks/.work, PostgreSQL as
boardport_bench_* on the server named by --postgres-url), migrated by `boardport db upgrade`,
loaded (`boardport demo`, then synthetic data by bulk SQL) and dropped at the end. The servers
are the real `boardport serve`, started and stopped by the harness.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from benchmarks.converge_scenarios import idempotent_import, prune
from benchmarks.databases import Backend, temporary_database
from benchmarks.datagen import PAYLOADS, SMALL
from benchmarks.history_scenarios import history
from benchmarks.machine import MachineLog
from benchmarks.migrate_client import migrate
from benchmarks.paths import DEFAULT_POSTGRES_URL, RESULTS_MD, WORK, work_dir
from benchmarks.plan_scenarios import plan
from benchmarks.record import write_record
from benchmarks.release_scenarios import export_3_7, import_3_7
from benchmarks.results import (
    BIG_EXPORT,
    BIG_IMPORT,
    COLLECTION_PAGE,
    EXPORT_3_7,
    GROWTH,
    HISTORY,
    IDEMPOTENT,
    IMPORT_3_7,
    MIGRATE,
    PLAN,
    PRUNE,
    REIMPORT,
    SCENARIOS,
    SINGLE_VARIANT,
    Results,
    Sample,
    summarize,
    text_table,
)
from benchmarks.scenarios import (
    SEED,
    SINGLE,
    Bench,
    Options,
    big_export,
    big_import,
    growth,
    reimport,
)
from benchmarks.servers import ServerFailed
from benchmarks.web_scenarios import collection_page
from benchmarks.wrk import WrkMissing, wrk_path

PER_PAYLOAD: dict[str, Callable[[Bench, int, str], str]] = {
    BIG_EXPORT: big_export,
    BIG_IMPORT: big_import,
    GROWTH: growth,
    EXPORT_3_7: export_3_7,
    IMPORT_3_7: import_3_7,
    REIMPORT: reimport,
    MIGRATE: migrate,
    IDEMPOTENT: idempotent_import,
    PRUNE: prune,
    PLAN: plan,
    COLLECTION_PAGE: collection_page,
    HISTORY: history,
}


def _choices(text: str, allowed: Sequence[str], what: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [c for c in chosen if c not in allowed]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown {what} {', '.join(unknown) or '(none)'}; choose from {', '.join(allowed)}"
        )
    return chosen


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="boardport's performance harness (issue 4).",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each scenario (default 3)")
    parser.add_argument(
        "--databases",
        type=lambda t: _choices(t, [b.value for b in Backend], "database"),
        default=(Backend.SQLITE.value, Backend.POSTGRESQL.value),
        help="comma-separated: sqlite,postgresql (default both)",
    )
    parser.add_argument(
        "--scenarios",
        type=lambda t: _choices(t, SCENARIOS, "scenario"),
        default=SCENARIOS,
        help=f"comma-separated: {','.join(SCENARIOS)} (default all)",
    )
    parser.add_argument(
        "--payloads",
        type=lambda t: _choices(t, PAYLOADS, "payload"),
        default=PAYLOADS,
        help="report data for scenarios 2-4: 3kb (about 3 KB of data per report) and/or "
        "25kb-xml (plus a 25 KB configuration.xml); default both",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="BOARDPORT_WORKERS for every server (default 1, boardport's own default)",
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--duration", type=int, default=10, help="wrk seconds (10)")
    parser.add_argument("--warmup", type=int, default=2, help="wrk warm-up seconds (2)")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument(
        "--dashboards", type=int, default=1000, help="dashboards in the big export (1000)"
    )
    parser.add_argument(
        "--import-dashboards",
        type=int,
        default=1000,
        help="dashboards (with their 10 reports each) in the big import file (1000)",
    )
    parser.add_argument(
        "--growth",
        type=lambda t: tuple(int(p) for p in t.split(",")),
        default=(10, 100, 1000),
        help="dashboard counts of the growth scenario (10,100,1000); the target compares the "
        "last two",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=None,
        help="set BOARDPORT_MAX_BODY_BYTES on every boardport server (default: not set, the "
        "server's own limit; the 25kb-xml import file of 1000 dashboards is about 300 MB)",
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument(
        "--profile",
        nargs="?",
        const=work_dir() / "profiles",
        type=Path,
        default=None,
        metavar="DIR",
        help="sample each measured server with py-spy into DIR (default benchmarks/.work/"
        "profiles); figures measured so are perturbed",
    )
    parser.add_argument(
        "--record",
        nargs="?",
        const=RESULTS_MD,
        type=Path,
        default=None,
        metavar="PATH",
        help="also write a markdown record of the machine and every figure (default "
        "benchmarks/RESULTS.md)",
    )
    parser.add_argument("--note", default=None, help="a line to put at the top of the record")
    parser.add_argument(
        "--show",
        type=Path,
        default=None,
        metavar="RESULTS_JSON",
        help="print the table of an earlier run from its raw figures (benchmarks/.work/"
        "results-*.json) and exit",
    )
    arguments = parser.parse_args(argv)
    if arguments.runs < 1 or arguments.workers < 1 or arguments.connections < 1:
        parser.error("--runs, --workers and --connections must be at least 1")
    if len(arguments.growth) < 2:
        parser.error("--growth needs at least two sizes")
    return arguments


def _terminate(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def run(options: Options, postgres_url: str, machine: MachineLog) -> Results:
    results = Results()
    for backend in options.databases:
        print(f"\n== {backend.value}: creating and loading the database", flush=True)
        with ExitStack() as stack:
            database = stack.enter_context(temporary_database(backend, postgres_url))
            if backend is Backend.POSTGRESQL:
                machine.postgresql = database.version()
            bench = Bench(options, database, results)
            bench.prepare()
            for run_number in range(1, options.runs + 1):
                for scenario in options.scenarios:
                    variants = [SEED] if scenario in SINGLE_VARIANT else list(options.payloads)
                    for variant in variants:
                        machine.sample()
                        _run_one(bench, scenario, variant, run_number)
    return results


def _run_one(bench: Bench, scenario: str, variant: str, run_number: int) -> None:
    """One run of one scenario. A server that dies (on a shared machine something else may end
    it) costs one retry; any other failure is recorded as an error and the harness goes on."""
    label = f"{bench.name} run {run_number}/{bench.options.runs} {scenario} {variant}"
    for attempt in (1, 2):
        print(f"  {label} ...", end=" ", flush=True)
        gc.collect()  # the harness's own garbage is not collected while it times a server
        started = time.monotonic()
        try:
            if scenario in SINGLE:
                said = SINGLE[scenario](bench, run_number)
            else:
                said = PER_PAYLOAD[scenario](bench, run_number, variant)
        except KeyboardInterrupt:
            raise
        except ServerFailed as failure:
            if attempt == 1:
                print(f"server failed, retrying once: {str(failure).splitlines()[0]}", flush=True)
                bench.discard(scenario, variant, run_number)
                continue
            _failed(bench, scenario, variant, run_number, failure)
            return
        except Exception as error:
            _failed(bench, scenario, variant, run_number, error)
            return
        print(f"{said} [{time.monotonic() - started:.0f}s]", flush=True)
        return


def _failed(bench: Bench, scenario: str, variant: str, run_number: int, error: Exception) -> None:
    print(f"FAILED: {error}", flush=True)
    traceback.print_exc()
    bench.discard(scenario, variant, run_number)
    bench.results.add(
        Sample(bench.name, scenario, variant, "error", run_number, None, "count", str(error))
    )


def show(path: Path) -> int:
    saved = json.loads(path.read_text())
    results = Results([Sample(**sample) for sample in saved["samples"]])
    print(f"{path}: started {saved['started']}, arguments {' '.join(saved['argv'])}\n")
    print(text_table(summarize(results)))
    print("\n" + "\n".join(saved.get("machine", [])))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    if arguments.show is not None:
        return show(arguments.show)
    try:
        wrk_path()
    except WrkMissing as missing:
        print(missing, file=sys.stderr)
        return 2
    if not Path("/proc/self/clear_refs").exists():
        print("the memory figures need Linux's /proc/PID/clear_refs", file=sys.stderr)
        return 2
    options = Options(
        runs=arguments.runs,
        databases=tuple(Backend(d) for d in arguments.databases),
        scenarios=tuple(s for s in SCENARIOS if s in arguments.scenarios),
        payloads=tuple(p for p in PAYLOADS if p in arguments.payloads) or (SMALL,),
        workers=arguments.workers,
        connections=arguments.connections,
        duration_s=arguments.duration,
        warmup_s=arguments.warmup,
        wrk_threads=arguments.wrk_threads,
        dashboards=arguments.dashboards,
        import_dashboards=arguments.import_dashboards,
        growth_sizes=arguments.growth,
        profile_dir=arguments.profile,
        max_body_bytes=arguments.max_body_bytes,
        postgres_url=arguments.postgres_url,
    )
    # Server logs (access logs of wrk runs are large) are kept for the latest run only.
    shutil.rmtree(WORK / "logs", ignore_errors=True)
    signal.signal(signal.SIGTERM, _terminate)
    machine = MachineLog()
    started = datetime.now(UTC)
    print(f"boardport benchmark, {started:%Y-%m-%d %H:%M} UTC; {machine.uptime_before}")
    print(
        f"{options.runs} run(s); databases {', '.join(d.value for d in options.databases)}; "
        f"scenarios {', '.join(options.scenarios)}; payloads {', '.join(options.payloads)}; "
        f"{options.workers} worker(s)"
    )
    results = run(options, arguments.postgres_url, machine)
    machine.finish()
    rows = summarize(results)
    print("\n" + text_table(rows))
    print("\n" + "\n".join(machine.lines()))
    errors = [s for s in results.samples if s.name == "error"]
    for error in errors:
        print(
            f"ERROR {error.database} run {error.run} {error.scenario} {error.variant}: {error.note}"
        )
    raw = work_dir() / f"results-{started:%Y%m%dT%H%M%S}.json"
    raw.write_text(
        json.dumps(
            {
                "started": started.isoformat(),
                "argv": sys.argv[1:],
                "machine": machine.lines(),
                "samples": results.as_dicts(),
            },
            indent=1,
        )
    )
    print(f"\nraw figures: {raw}")
    if arguments.record is not None:
        write_record(
            arguments.record,
            started=started,
            argv=sys.argv[1:],
            options=options,
            machine=machine,
            results=results,
            rows=rows,
            note=arguments.note,
        )
        print(f"record written: {arguments.record}")
    # A MISS is a finding, not a failure of the harness: only errors fail the command.
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
