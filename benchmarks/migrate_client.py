"""Scenario 9 (issue 11): `boardport migrate` between two local boardport servers, against the
same data moved by one export request and one import request between the same servers.

- Migrating `import_dashboards` dashboards x 10 reports takes at most 1.5x (export time +
  import time). The migrate time is the command's, from its start to its exit, start-up
  included: that is what a user or a CI job waits for. Its start-up alone (`boardport
  --version`) is shown beside it.
- The client's peak memory (its process's peak RSS, its own VmHWM) is at most one batch of export
  (the export of `batch` dashboards, the client's default batch) plus 100 MB.

The source is the bench's server on its database, with the import file imported into a
collection of its own; the target is a second `boardport serve` on a new database of the same
kind, created for the run and dropped after it."""

from __future__ import annotations

import json
import os
import subprocess
import time

from benchmarks.client import EXPORT_DASHBOARDS, post_json, request
from benchmarks.databases import temporary_database
from benchmarks.paths import BOARDPORT, PYTHON, REPO, TOKEN, work_dir
from benchmarks.results import (
    BATCH_BOUND,
    CLIENT_PEAK,
    CLIENT_START_UP,
    ENTITIES,
    EXPORT_IMPORT_TIME,
    MIGRATE,
    MIGRATE_TIME,
)
from benchmarks.scenarios import Bench, create_collection, prepared_collection

MEBIBYTE = 1024 * 1024
BATCH = 100
"""The client's default --batch-size: ids per export request."""
RUN_SECONDS = 1800


def _dashboard_ids(port: int, collection_id: str) -> list[str]:
    answer = request(port, "GET", f"/api/public/dashboard?collectionId={collection_id}")
    if answer.status != 200:
        raise RuntimeError(f"listing the source collection answered {answer.describe()}")
    return [str(item["id"]) for item in json.loads(answer.body)]


def _start_up_seconds() -> float:
    started = time.perf_counter()
    subprocess.run([str(BOARDPORT), "--version"], check=True, capture_output=True, cwd=REPO)
    return time.perf_counter() - started


# The command exactly as its console script runs it (entrypoints.cli.main:main), plus one thing:
# at exit it writes its own VmHWM. wait4's ru_maxrss cannot be used: Linux carries the RSS of
# the process that forked it (this harness, holding a 300 MB import file) into a child's
# ru_maxrss across the exec, while VmHWM belongs to the program's own address space.
PEAK_WRAPPER = """
import atexit, os, sys

def _write_peak():
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["BENCH_PEAK_FILE"], "w") as out:
        out.write(peak)

atexit.register(_write_peak)
sys.argv[0] = "boardport"
from entrypoints.cli.main import main
main()
"""


def _migrate(arguments: list[str], label: str) -> tuple[float, int, dict[str, int]]:
    """(seconds, peak RSS in bytes, counts) of one `boardport migrate --json` process."""
    folder = work_dir("migrate")
    out, err, peak_file = (folder / f"{label}.{suffix}" for suffix in ("out", "err", "peak"))
    peak_file.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOARDPORT_", "CAMUNDA_"))}
    env |= {"BOARDPORT_SOURCE_TOKEN": TOKEN, "BOARDPORT_TARGET_TOKEN": TOKEN}
    env["BENCH_PEAK_FILE"] = str(peak_file)
    argv = [str(PYTHON), "-c", PEAK_WRAPPER, "migrate", *arguments]
    started = time.perf_counter()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        done = subprocess.run(
            argv, env=env, stdout=stdout, stderr=stderr, cwd=REPO, timeout=RUN_SECONDS, check=False
        )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"boardport migrate exited {done.returncode}: {err.read_text()}")
    counts: dict[str, int] = json.loads(out.read_bytes())["counts"]
    return seconds, int(peak_file.read_text()) * 1024, counts  # VmHWM is in kB


def migrate(bench: Bench, run: int, payload: str) -> str:
    """Scenario 9: see the module's text."""
    record = bench.recorder(MIGRATE, payload, run)
    with (
        bench.server() as source,
        temporary_database(bench.database.backend, bench.options.postgres_url) as target_db,
        bench.server(target_db) as target,
    ):
        file = bench.import_file(payload, source.port)
        entities, _reports = bench.import_counts(payload)
        source_collection = prepared_collection(source.port, payload, f"migrate source run {run}")
        loaded = request(
            source.port, "POST", f"/api/public/import?collectionId={source_collection}", file
        )
        if loaded.status != 200:
            raise RuntimeError(f"loading the source collection answered {loaded.describe()}")
        ids = _dashboard_ids(source.port, source_collection)

        exported = post_json(source.port, EXPORT_DASHBOARDS, ids)
        floor_collection = prepared_collection(target.port, payload, f"floor run {run}")
        imported = request(
            target.port,
            "POST",
            f"/api/public/import?collectionId={floor_collection}",
            exported.body,
            keep_body=False,
        )
        if imported.status != 200:
            raise RuntimeError(f"the floor's import answered {imported.describe()}")
        floor = exported.seconds + imported.seconds
        size = exported.size
        del exported

        start_up = _start_up_seconds()
        # An empty collection: the client registers the definition and widens the scope itself.
        migrate_collection = create_collection(target.port, f"migrate run {run}")
        arguments = [
            "--from", f"http://127.0.0.1:{source.port}", "--collection", source_collection,
            "--to", f"http://127.0.0.1:{target.port}", "--to-collection", migrate_collection,
            "--batch-size", str(BATCH), "--json",
        ]  # fmt: skip
        seconds, peak, counts = _migrate(arguments, f"migrate-{bench.name}-{payload}-run{run}")
        # Asked for after the migrate: the server caches an export by its ids, and the client's
        # first batch is these ids.
        batch = post_json(source.port, EXPORT_DASHBOARDS, ids[:BATCH], keep_body=False)
        source.check_alive()
        target.check_alive()
    ok = counts.get("created") == entities and counts.get("failed", 0) == 0
    note = "" if ok else f"created {counts}, expected {entities} entities"
    bound = batch.size + 100 * MEBIBYTE
    record(MIGRATE_TIME, seconds if ok else None, "s", note)
    record(EXPORT_IMPORT_TIME, floor, "s")
    record(CLIENT_PEAK, peak if ok else None, "B", note)
    record(BATCH_BOUND, bound, "B", f"one batch of {BATCH} dashboards: {batch.size:,} B")
    record(CLIENT_START_UP, start_up, "s")
    record(ENTITIES, entities, "count")
    return (
        f"migrate {seconds:.2f}s (start-up {start_up:.2f}s, peak {peak / MEBIBYTE:.0f} MiB, "
        f"{counts}); export {floor - imported.seconds:.2f}s + import {imported.seconds:.2f}s "
        f"of {size / 1e6:.1f} MB; bound {bound / MEBIBYTE:.0f} MiB"
    )
