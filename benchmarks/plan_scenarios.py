"""Scenario 12 (issue 21): `boardport plan` of a pulled directory with a tenth of its reports
edited, against the server's dry run of the same file, and the plan's own peak memory against
the file's size.

The first `import_dashboards` dashboards are imported into a collection of the bench's server
(the source), pulled into a directory and pushed into another collection (the target), so that
the target holds what the directory deployed. Then every tenth report file is renamed, and:

- `boardport plan DIR --to URL --collection TARGET --json` runs as a process of its own, timed
  from its start to its exit (start-up included: that is what a CI job waits for), with its
  peak RSS (`VmHWM`, written at its exit, as in scenario 9);
- the baseline is one request: the same file (the directory read as the plan reads it) sent to
  the target as the plan sends it, `overwrite`, `dryRun`, `prepare` and the directory's source
  label.
Which goes first alternates by run. Both must say that exactly the edited reports change."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from benchmarks.client import request
from benchmarks.migrate_client import PEAK_WRAPPER, RUN_SECONDS
from benchmarks.paths import BOARDPORT, PYTHON, REPO, TOKEN, work_dir
from benchmarks.results import DRY_RUN_TIME, ENTITIES, FILE_SIZE, PLAN, PLAN_PEAK, PLAN_TIME
from benchmarks.scenarios import Bench, prepared_collection
from domain.collection_directory import DASHBOARDS, REPORTS, entity_from_file
from domain.source_label import source_label

EDITED_SHARE = 10
"""One report in this many is edited."""
SHORT = {PLAN_TIME: "plan", DRY_RUN_TIME: "dry-run"}
"""The timed steps' names in profile files."""


def _environ() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOARDPORT_", "CAMUNDA_"))}
    return env | {"BOARDPORT_SOURCE_TOKEN": TOKEN, "BOARDPORT_TARGET_TOKEN": TOKEN}


def _boardport(*arguments: str) -> None:
    """A command the scenario prepares with, untimed."""
    done = subprocess.run(
        [str(BOARDPORT), *arguments],
        env=_environ(),
        capture_output=True,
        cwd=REPO,
        timeout=RUN_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"boardport {arguments[0]} exited {done.returncode}: {done.stderr!r}")


def _deployed_directory(bench: Bench, port: int, payload: str, run: int) -> tuple[Path, str, str]:
    """(the pulled directory, the target collection it was pushed into, the directory's
    source label)."""
    url = f"http://127.0.0.1:{port}"
    source = prepared_collection(port, payload, f"plan source run {run}")
    body = bench.import_file(payload, port)
    loaded = request(port, "POST", f"/api/public/import?collectionId={source}", body)
    if loaded.status != 200:
        raise RuntimeError(f"loading the source collection answered {loaded.describe()}")
    directory = work_dir("plan") / f"{bench.name}-{payload}-run{run}"
    shutil.rmtree(directory, ignore_errors=True)
    _boardport("pull", str(directory), "--from", url, "--collection", source)
    target = prepared_collection(port, payload, f"plan target run {run}")
    _boardport("push", str(directory), "--to", url, "--collection", target, "--quiet")
    return directory, target, source_label(url, source)


def _edit_a_tenth(directory: Path) -> int:
    """Renames every tenth report file's report; how many."""
    edited = 0
    for number, path in enumerate(sorted((directory / REPORTS).glob("*.json"))):
        if number % EDITED_SHARE == 0:
            entity = json.loads(path.read_text(encoding="utf-8"))
            entity["name"] = f"{entity['name']} (edited)"
            path.write_text(json.dumps(entity, indent=2) + "\n", encoding="utf-8")
            edited += 1
    return edited


def _file_of(directory: Path) -> bytes:
    """The export file the directory makes, read as a push reads it."""

    def read(path: str) -> str | None:
        file = directory / path
        return file.read_text(encoding="utf-8") if file.exists() else None

    entities = [
        entity_from_file(f"{folder}/{path.name}", path.read_text(encoding="utf-8"), read)
        for folder in (REPORTS, DASHBOARDS)
        for path in sorted((directory / folder).glob("*.json"))
    ]
    return json.dumps(entities).encode()


def _plan(directory: Path, port: int, target: str, label: str) -> tuple[float, int, Any]:
    """(seconds, peak RSS in bytes, the plan's JSON) of one `boardport plan --json` process."""
    folder = work_dir("plan")
    out, err, peak_file = (folder / f"{label}.{suffix}" for suffix in ("out", "err", "peak"))
    peak_file.unlink(missing_ok=True)
    argv = [str(PYTHON), "-c", PEAK_WRAPPER, "plan", str(directory)]
    argv += ["--to", f"http://127.0.0.1:{port}", "--collection", target, "--json"]
    started = time.perf_counter()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        done = subprocess.run(
            argv,
            env=_environ() | {"BENCH_PEAK_FILE": str(peak_file)},
            stdout=stdout,
            stderr=stderr,
            cwd=REPO,
            timeout=RUN_SECONDS,
            check=False,
        )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 2):
        raise RuntimeError(f"boardport plan exited {done.returncode}: {err.read_text()}")
    return seconds, int(peak_file.read_text()) * 1024, json.loads(out.read_bytes())


def plan(bench: Bench, run: int, payload: str) -> str:
    """Scenario 12: see the module's text."""
    record = bench.recorder(PLAN, payload, run)
    with bench.server() as server:
        directory, target, label = _deployed_directory(bench, server.port, payload, run)
        entities, _reports = bench.import_counts(payload)
        edited = _edit_a_tenth(directory)
        file = _file_of(directory)
        path = f"/api/public/import?collectionId={target}&overwrite=true&dryRun=true"
        path += f"&prepare=true&source={quote(label, safe='')}"
        timed: dict[str, Any] = {}
        for name in (PLAN_TIME, DRY_RUN_TIME) if run % 2 else (DRY_RUN_TIME, PLAN_TIME):
            gc.collect()
            with bench.profiled(server, f"plan-{payload}-{SHORT[name]}-run{run}"):
                if name == PLAN_TIME:
                    run_name = f"{bench.name}-{payload}-{run}"
                    timed[name] = _plan(directory, server.port, target, run_name)
                else:
                    timed[name] = request(server.port, "POST", path, file, keep_body=True)
        server.check_alive()
    seconds, peak, planned = timed[PLAN_TIME]
    dry = timed[DRY_RUN_TIME]
    expected = {"create": 0, "update": edited, "delete": 0, "unchanged": entities - edited}
    plan_ok = planned.get("counts") == expected
    updated = sum(1 for i in dry.json() if i.get("action") == "updated") if dry.status == 200 else 0
    dry_ok = updated == edited
    plan_note = "" if plan_ok else f"planned {planned.get('counts')}, expected {expected}"
    dry_note = "" if dry_ok else f"answered {dry.describe()}, {updated} updated of {edited}"
    record(PLAN_TIME, seconds if plan_ok else None, "s", plan_note)
    record(DRY_RUN_TIME, dry.seconds if dry_ok else None, "s", dry_note)
    record(PLAN_PEAK, peak if plan_ok else None, "B", plan_note)
    record(FILE_SIZE, len(file), "B")
    record(ENTITIES, entities, "count")
    return (
        f"plan {seconds:.2f}s (peak {peak / 2**20:.0f} MiB, {planned.get('counts')}); dry run "
        f"{dry.seconds:.2f}s of {len(file) / 1e6:.1f} MB, {updated} updated"
    )
