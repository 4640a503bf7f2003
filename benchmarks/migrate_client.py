"""The client's speed targets of issue 11, on its own (not yet part of `make bench`):

- migrating N dashboards x 10 reports between two local boardport servers takes at most 1.5x
  (export time + import time) of the same data between the same servers;
- the client's peak memory is at most one batch of export plus 100 MB.

    .venv/bin/python -m benchmarks.migrate_client --dashboards 100

Both servers run on SQLite under benchmarks/.work/. `boardport migrate` runs as a process of
its own; its peak RSS is read from wait4. Its time includes the command's start-up, which is
measured apart (`boardport --version`) and shown."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import time

from benchmarks.client import post_json, put_json, request
from benchmarks.paths import BOARDPORT, TOKEN, work_dir
from benchmarks.servers import boardport_server

MEBIBYTE = 1024 * 1024


def report(report_id: str) -> dict[str, object]:
    return {
        "id": report_id,
        "exportEntityType": "single_process_report",
        "name": f"Report {report_id}",
        "description": None,
        "sourceIndexVersion": 11,
        "collectionId": None,
        "data": {
            "definitions": [
                {
                    "identifier": "definition",
                    "key": "invoice",
                    "name": "Invoice",
                    "displayName": "Invoice",
                    "versions": ["all"],
                    "tenantIds": [None],
                }
            ],
            "configuration": {"xml": None, "color": "#1991c8", "precision": None},
            "filter": [],
            "view": {"entity": "processInstance", "properties": ["frequency"]},
            "groupBy": {"type": "none", "value": None},
            "distributedBy": {"type": "none", "value": None},
            "visualization": "number",
            "managementReport": False,
            "instantPreviewReport": False,
        },
    }


def dataset(dashboards: int, reports_each: int) -> list[dict[str, object]]:
    entities: list[dict[str, object]] = []
    boards = []
    for d in range(dashboards):
        ids = [f"r-{d}-{r}" for r in range(reports_each)]
        entities.extend(report(i) for i in ids)
        boards.append(
            {
                "id": f"d-{d}",
                "exportEntityType": "dashboard",
                "name": f"Dashboard {d}",
                "description": None,
                "sourceIndexVersion": 8,
                "collectionId": None,
                "instantPreviewDashboard": False,
                "availableFilters": [],
                "tiles": [
                    {
                        "id": i,
                        "type": "optimize_report",
                        "position": {"x": 0, "y": 2 * n},
                        "dimensions": {"width": 6, "height": 2},
                        "configuration": None,
                    }
                    for n, i in enumerate(ids)
                ],
            }
        )
    return entities + boards


def prepared_collection(port: int) -> str:
    created = post_json(port, "/api/public/collection/create", {"name": "bench"}).json()
    assert isinstance(created, dict)
    collection_id = str(created["id"])
    post_json(
        port,
        "/api/public/definition",
        {"type": "process", "key": "invoice", "name": "Invoice", "version": "1"},
    )
    put_json(
        port,
        f"/api/public/collection/{collection_id}/scope",
        [{"definitionType": "process", "definitionKey": "invoice", "tenants": [None]}],
    )
    return collection_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dashboards", type=int, default=1000)
    parser.add_argument("--reports-per-dashboard", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=100)
    options = parser.parse_args()
    folder = work_dir("migrate-client")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    limit = {"BOARDPORT_MAX_BODY_BYTES": str(1024 * MEBIBYTE)}
    with (
        boardport_server(f"sqlite:///{folder / 'source.sqlite3'}", 1, limit).start() as source,
        boardport_server(f"sqlite:///{folder / 'target.sqlite3'}", 1, limit).start() as target,
    ):
        source_collection = prepared_collection(source.port)
        file = json.dumps(dataset(options.dashboards, options.reports_per_dashboard)).encode()
        loaded = request(
            source.port, "POST", f"/api/public/import?collectionId={source_collection}", file
        )
        assert loaded.status == 200, loaded.describe()
        ids_answer = request(
            source.port, "GET", f"/api/public/dashboard?collectionId={source_collection}"
        )
        ids = [i["id"] for i in json.loads(ids_answer.body)]

        exported = post_json(source.port, "/api/public/export/dashboard/definition/json", ids)
        batch = post_json(
            source.port, "/api/public/export/dashboard/definition/json", ids[: options.batch_size]
        )
        floor_collection = prepared_collection(target.port)
        imported = request(
            target.port,
            "POST",
            f"/api/public/import?collectionId={floor_collection}",
            exported.body,
        )
        assert imported.status == 200, imported.describe()
        floor = exported.seconds + imported.seconds

        started = time.perf_counter()
        subprocess.run([str(BOARDPORT), "--version"], check=True, capture_output=True)
        start_up = time.perf_counter() - started

        migrate_collection = prepared_collection(target.port)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("BOARDPORT_")},
            "BOARDPORT_SOURCE_TOKEN": TOKEN,
            "BOARDPORT_TARGET_TOKEN": TOKEN,
        }
        argv = [
            str(BOARDPORT), "migrate",
            "--from", f"http://127.0.0.1:{source.port}", "--collection", source_collection,
            "--to", f"http://127.0.0.1:{target.port}", "--to-collection", migrate_collection,
            "--batch-size", str(options.batch_size), "--json",
        ]  # fmt: skip
        started = time.perf_counter()
        with (folder / "migrate.out").open("wb") as out, (folder / "migrate.err").open("wb") as err:
            process = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
            _, status, usage = os.wait4(process.pid, 0)
        migrate_seconds = time.perf_counter() - started
        if status != 0:
            raise SystemExit(f"migrate failed: {(folder / 'migrate.err').read_text()}")
        output = (folder / "migrate.out").read_bytes()
        counts = json.loads(output)["counts"]
        peak = usage.ru_maxrss * 1024  # kilobytes on Linux
    entities = len(ids) * (options.reports_per_dashboard + 1)
    size = len(exported.body) / MEBIBYTE
    print(f"{len(ids)} dashboards, {entities} entities; export {size:.1f} MiB")
    print(
        f"floor: export {exported.seconds:.2f} s + import {imported.seconds:.2f} s = {floor:.2f} s"
    )
    print(f"migrate: {migrate_seconds:.2f} s (command start-up alone {start_up:.2f} s); {counts}")
    ratio = migrate_seconds / floor
    print(f"  ratio {ratio:.2f} (target <= 1.5): {'PASS' if ratio <= 1.5 else 'MISS'}")
    bound = len(batch.body) + 100 * MEBIBYTE
    print(
        f"client peak RSS {peak / MEBIBYTE:.1f} MiB; one batch of export "
        f"{len(batch.body) / MEBIBYTE:.1f} MiB + 100 MiB = {bound / MEBIBYTE:.1f} MiB: "
        f"{'PASS' if peak <= bound else 'MISS'}"
    )


if __name__ == "__main__":
    main()
