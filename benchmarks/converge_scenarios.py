"""Scenarios 10 and 11 (issue 20): what converging deploys cost. An import sent with an
Idempotency-Key against the same import without one, its replay against the first; and an
overwrite that prunes a tenth of the collection against the same overwrite without prune."""

from __future__ import annotations

import gc
import json
from typing import Any

from benchmarks.client import HttpResult, request
from benchmarks.results import (
    IDEMPOTENT,
    KEYED_TIME,
    PLAIN_TIME,
    PRUNE,
    PRUNED_TIME,
    REPLAY_TIME,
    UNPRUNED_TIME,
)
from benchmarks.scenarios import Bench, prepared_collection

KEY = "bench-deploy"
SOURCE = "benchmark-source"
SHORT = {PRUNED_TIME: "pruned", UNPRUNED_TIME: "unpruned"}
"""The timed requests' names in profile files."""


def _keyed(port: int, path: str, body: bytes, key: str) -> HttpResult:
    return request(port, "POST", path, body, keep_body=True, headers={"Idempotency-Key": key})


def idempotent_import(bench: Bench, run: int, payload: str) -> str:
    """Scenario 10: the import file into new collections, twice without a key and twice with
    one, in the order ABBA (which goes first alternates by run), then the first keyed request
    again. Each import is slower than the one before it, the tables being larger (seen on
    PostgreSQL at 8c73930: about 5%), so the two of each kind are averaged: timed in turns of
    one each, the kind timed second in more runs than the other paid for its place."""
    record = bench.recorder(IDEMPOTENT, payload, run)
    with bench.server() as server:
        body = bench.import_file(payload, server.port)
        order = [PLAIN_TIME, KEYED_TIME] if run % 2 else [KEYED_TIME, PLAIN_TIME]
        paths = [
            "/api/public/import?collectionId="
            + prepared_collection(server.port, payload, f"{name} {turn} run {run}")
            for turn, name in enumerate(order + order[::-1])
        ]
        # The server's first import pays for what it loads once; none timed should.
        warm = prepared_collection(server.port, payload, f"warm-up run {run}")
        first_report = json.dumps(bench.import_entities(payload)[:1]).encode()
        request(server.port, "POST", f"/api/public/import?collectionId={warm}", first_report)
        timed: dict[str, list[HttpResult]] = {PLAIN_TIME: [], KEYED_TIME: [], REPLAY_TIME: []}
        keyed_path = ""
        for turn, (name, path) in enumerate(zip(order + order[::-1], paths, strict=True)):
            gc.collect()
            if name == PLAIN_TIME:
                timed[name].append(request(server.port, "POST", path, body, keep_body=True))
                continue
            keyed_path = keyed_path or path
            timed[name].append(_keyed(server.port, path, body, f"{KEY}-{payload}-{run}-{turn}"))
        first_key = f"{KEY}-{payload}-{run}-{order.index(KEYED_TIME)}"
        gc.collect()
        timed[REPLAY_TIME].append(_keyed(server.port, keyed_path, body, first_key))
        server.check_alive()
    first, replay = timed[KEYED_TIME][0], timed[REPLAY_TIME][0]
    replayed = replay.headers.get("idempotent-replayed") == "true" and replay.body == first.body
    for name, results in timed.items():
        failed = [r for r in results if r.status != 200]
        if name == REPLAY_TIME and not failed and not replayed:
            failed = results
        seconds = sum(r.seconds for r in results) / len(results)
        record(name, None if failed else seconds, "s", failed[0].describe() if failed else "")
    return ", ".join(
        f"{name}: " + " + ".join(f"{r.seconds:.2f}s ({r.describe()})" for r in results)
        for name, results in timed.items()
    )


def _without_a_tenth(entities: list[dict[str, Any]]) -> bytes:
    """The file without its first tenth of dashboards and the reports only those show."""
    dashboards = [e for e in entities if e["exportEntityType"] == "dashboard"]
    gone = {d["id"] for d in dashboards[: len(dashboards) // 10]}
    kept_reports = {
        t["id"] for d in dashboards if d["id"] not in gone for t in d["tiles"] if t["id"]
    }
    return json.dumps(
        [
            e
            for e in entities
            if (
                e["id"] not in gone
                if e["exportEntityType"] == "dashboard"
                else e["id"] in kept_reports
            )
        ]
    ).encode()


def prune(bench: Bench, run: int, payload: str) -> str:
    """Scenario 11: the file deployed with overwrite into two collections; then, without a
    tenth of it, deployed again into each, once with prune (deleting what is gone) and once
    without (the same file's overwrite)."""
    record = bench.recorder(PRUNE, payload, run)
    with bench.server() as server:
        body = bench.import_file(payload, server.port)
        smaller = _without_a_tenth(bench.import_entities(payload))
        paths = {}
        for name in (PRUNED_TIME, UNPRUNED_TIME):
            collection = prepared_collection(server.port, payload, f"{name} run {run}")
            path = f"/api/public/import?collectionId={collection}&overwrite=true&source={SOURCE}"
            deployed = request(server.port, "POST", path, body, keep_body=False)
            if deployed.status != 200:
                raise RuntimeError(f"the first deploy answered {deployed.describe()}")
            paths[name] = path + ("&prune=true" if name == PRUNED_TIME else "")
        # The first overwrite of the smaller file in a server is slower wherever it comes,
        # whichever collection it goes to (seen at 8c73930: about 2 s of 10 with 25 KB XML, in
        # reading the file): so one is sent first, untimed, without prune. It changes nothing:
        # every entity in it is unchanged, and what is gone stays.
        warm = request(server.port, "POST", paths[UNPRUNED_TIME], smaller, keep_body=False)
        if warm.status != 200:
            raise RuntimeError(f"the untimed overwrite answered {warm.describe()}")
        timed = {}
        for name in (PRUNED_TIME, UNPRUNED_TIME) if run % 2 else (UNPRUNED_TIME, PRUNED_TIME):
            gc.collect()
            with bench.profiled(server, f"prune-{payload}-{SHORT[name]}-run{run}"):
                timed[name] = request(server.port, "POST", paths[name], smaller)
        server.check_alive()
    answered = timed[PRUNED_TIME].json() if timed[PRUNED_TIME].status == 200 else []
    items = answered if isinstance(answered, list) else []
    deleted = sum(1 for i in items if i.get("action") == "deleted")
    for name, result in timed.items():
        ok = result.status == 200 and (name != PRUNED_TIME or deleted > 0)
        note = "" if ok else f"answered {result.describe()}, {deleted} deleted"
        record(name, result.seconds if ok else None, "s", note)
    return ", ".join(f"{name}: {r.seconds:.2f}s" for name, r in timed.items()) + (
        f" ({deleted} deleted)"
    )
