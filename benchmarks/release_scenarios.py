"""Scenarios 5 and 6 (issue 8): the big export written for Optimize 3.7, against the same
export in the current format; and that 3.7 file imported, against the same entities imported
from a current-format file."""

from __future__ import annotations

import json

from benchmarks.client import EXPORT_DASHBOARDS, post_json, put_json, request
from benchmarks.datagen import SMALL, TENANT, bpmn_xml, definition_key
from benchmarks.memory import PeakMeter
from benchmarks.results import (
    BOARDPORT_TIME,
    CURRENT_FORMAT_TIME,
    EXPORT_3_7,
    IDLE_MEMORY,
    IMPORT_3_7,
    PEAK_MEMORY,
    REQUEST_SIZE,
    RESPONSE_SIZE,
)
from benchmarks.scenarios import Bench
from domain.export_format.file_conversion import convert_file, entities_of
from domain.export_format.releases import LATEST

OLDER = "3.7"
# The synthetic dashboards carry a text tile, which 3.7 cannot hold: the loss is allowed.
OLDER_EXPORT = f"{EXPORT_DASHBOARDS}?targetVersion={OLDER}&allowLoss=true"


def export_3_7(bench: Bench, run: int, payload: str) -> str:
    """Scenario 5: every dashboard exported at 3.7, timed to the last byte, with the server's
    peak memory above idle; the same request in the current format is the baseline."""
    record = bench.recorder(EXPORT_3_7, payload, run)
    ids = bench.datasets[payload].dashboard_ids(bench.options.dashboards)
    with bench.server() as server:
        post_json(server.port, OLDER_EXPORT, ids[:1])
        current = post_json(server.port, EXPORT_DASHBOARDS, ids, expect=None, keep_body=False)
        meter = PeakMeter(server.pid)
        meter.start()
        with bench.profiled(server, f"export-3.7-{payload}-run{run}"):
            older = post_json(server.port, OLDER_EXPORT, ids, expect=None, keep_body=False)
        peak = meter.stop()
        server.check_alive()
    ok = older.status == 200 and current.status == 200
    note = "" if ok else f"answered {older.describe()} and {current.describe()}"
    record(BOARDPORT_TIME, older.seconds if ok else None, "s", note)
    record(CURRENT_FORMAT_TIME, current.seconds if ok else None, "s", note)
    record(PEAK_MEMORY, peak if ok else None, "B", note)
    record(IDLE_MEMORY, meter.idle_bytes, "B")
    record(RESPONSE_SIZE, older.size if ok else None, "B")
    return (
        f"3.7 {older.seconds:.2f}s ({older.describe()}, {older.size / 1e6:.1f} MB, "
        f"peak +{peak / 1e6:.0f} MB); current format {current.seconds:.2f}s"
    )


def import_3_7(bench: Bench, run: int, payload: str) -> str:
    """Scenario 6: the first `import_dashboards` dashboards exported at 3.7, imported as one
    file; the same entities converted to the current format and imported are the baseline."""
    record = bench.recorder(IMPORT_3_7, payload, run)
    key = definition_key(payload)
    definition: dict[str, object] = {"type": "process", "version": "1", "name": "Benchmark"}
    definition |= {"key": key} if payload == SMALL else {"xml": bpmn_xml(key)}
    ids = bench.datasets[payload].dashboard_ids(bench.options.import_dashboards)
    with bench.server() as server:
        older_file = post_json(server.port, OLDER_EXPORT, ids).body
        current_file = json.dumps(entities_of(convert_file(json.loads(older_file), LATEST)))
        post_json(server.port, "/api/public/definition", definition)
        scope = [{"definitionType": "process", "definitionKey": key, "tenants": [TENANT]}]
        collections = []
        for name in ("3.7", "current"):
            created = post_json(server.port, "/api/public/collection/create", {"name": name})
            collection = str(created.json()["id"])  # type: ignore[index]
            put_json(server.port, f"/api/public/collection/{collection}/scope", scope)
            collections.append(collection)
        path = "/api/public/import?collectionId="
        with bench.profiled(server, f"import-3.7-{payload}-run{run}"):
            older = request(server.port, "POST", path + collections[0], older_file)
        current = request(server.port, "POST", path + collections[1], current_file.encode())
        server.check_alive()
    ok = older.status == 200 and current.status == 200
    note = "" if ok else f"answered {older.describe()} and {current.describe()}"
    record(BOARDPORT_TIME, older.seconds if ok else None, "s", note)
    record(CURRENT_FORMAT_TIME, current.seconds if ok else None, "s", note)
    record(REQUEST_SIZE, len(older_file), "B")
    return (
        f"3.7 file {older.seconds:.2f}s ({older.describe()}, {len(older_file) / 1e6:.1f} MB); "
        f"current-format file {current.seconds:.2f}s ({current.describe()})"
    )
