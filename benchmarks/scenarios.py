"""The four scenarios of issue 4. Each run of a scenario starts its own servers and stops them,
so runs do not share a warmed process (or its retained memory)."""

from __future__ import annotations

import contextlib
import gc
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self, cast

from benchmarks.client import EXPORT_DASHBOARDS, export_dashboards, post_json, put_json, request
from benchmarks.databases import Backend, Database
from benchmarks.datagen import SMALL, TENANT, Dataset, bpmn_xml, definition_key, load
from benchmarks.floors import import_rows, insert_floor, timed_export_floor
from benchmarks.memory import PeakMeter
from benchmarks.paths import DEFAULT_POSTGRES_URL, TOKEN, work_dir
from benchmarks.profiling import py_spy
from benchmarks.results import (
    BIG_EXPORT,
    BIG_IMPORT,
    BOARDPORT_P99,
    BOARDPORT_RPS,
    BOARDPORT_TIME,
    EDITED_TIME,
    ENTITIES,
    FIRST_IMPORT_TIME,
    FLOOR_P99,
    FLOOR_RPS,
    FLOOR_TIME,
    GROWTH,
    IDLE_MEMORY,
    JWT_EXPORT,
    JWT_P99,
    JWT_RPS,
    ONE_EXPORT,
    ONE_TRANSACTION,
    PEAK_MEMORY,
    REIMPORT,
    REQUEST_SIZE,
    RESPONSE_SIZE,
    STATIC_TOKEN_P99,
    STATIC_TOKEN_RPS,
    UNCHANGED_TIME,
    Results,
    Sample,
    Unit,
    growth_time,
)
from benchmarks.servers import ServerProcess, boardport_server, floor_server, run_cli
from benchmarks.wrk import WrkResult, post_script, run_wrk
from tests.token_server import TokenServer


class Recorder(Protocol):
    def __call__(
        self, name: str, value: float | None, unit: Unit, note: str = "", *, fault: bool = False
    ) -> None: ...


SEED_IDS = ["123", "456"]
SEED = "seed"


@dataclass(frozen=True, slots=True)
class Options:
    runs: int = 3
    databases: tuple[Backend, ...] = (Backend.SQLITE, Backend.POSTGRESQL)
    scenarios: tuple[str, ...] = (ONE_EXPORT, BIG_EXPORT, BIG_IMPORT, GROWTH, JWT_EXPORT)
    payloads: tuple[str, ...] = (SMALL,)
    workers: int = 1
    connections: int = 16
    duration_s: int = 10
    warmup_s: int = 2
    wrk_threads: int = 2
    dashboards: int = 1000
    import_dashboards: int = 1000
    growth_sizes: tuple[int, ...] = (10, 100, 1000)
    profile_dir: Path | None = None
    max_body_bytes: int | None = None
    postgres_url: str = DEFAULT_POSTGRES_URL
    """The PostgreSQL server that scenarios needing a second database create it on."""


@dataclass(slots=True)
class Bench:
    """One database with its data, and the figures measured on it."""

    options: Options
    database: Database
    results: Results
    datasets: dict[str, Dataset] = field(default_factory=dict)
    _import_files: dict[str, bytes] = field(default_factory=dict)
    _import_counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.database.backend.value

    def prepare(self) -> None:
        """The demo data through `boardport demo`, then the synthetic datasets by bulk SQL."""
        run_cli(self.database.url, "demo")
        size = max(
            self.options.dashboards, self.options.import_dashboards, *self.options.growth_sizes
        )
        for payload in self.options.payloads:
            dataset = Dataset(payload, size)
            seconds = load(self.database, dataset)
            self.datasets[payload] = dataset
            print(f"  loaded {dataset.entities:,} {payload} entities in {seconds:.1f}s", flush=True)

    def discard(self, scenario: str, variant: str, run: int) -> None:
        self.results.discard(self.name, scenario, variant, run)

    def recorder(self, scenario: str, variant: str, run: int) -> Recorder:
        """Records figures of one run of a scenario: `record(name, value, unit, note)`, with
        `fault=True` when the run disqualifies the figure (its target is then a MISS)."""

        def record(
            name: str, value: float | None, unit: Unit, note: str = "", *, fault: bool = False
        ) -> None:
            self.results.add(
                Sample(self.name, scenario, variant, name, run, value, unit, note, fault)
            )

        return record

    def server(
        self, database: Database | None = None, *, code: Path | None = None
    ) -> ServerProcess:
        """A boardport server on the bench's database, or on `database`; running the code of the
        checkout `code` (another commit), when given."""
        extra = {}
        if self.options.max_body_bytes is not None:
            extra["BOARDPORT_MAX_BODY_BYTES"] = str(self.options.max_body_bytes)
        url = (database or self.database).url
        return boardport_server(url, self.options.workers, extra, code=code)

    @contextlib.contextmanager
    def profiled(self, server: ServerProcess, label: str) -> Iterator[None]:
        if self.options.profile_dir is None:
            yield
            return
        output = self.options.profile_dir / f"{self.name}-{label}.txt"
        with py_spy(server.pid, output):
            yield
        print(f"    profile: {output}", flush=True)

    def import_file(self, payload: str, port: int) -> bytes:
        """The export of the first `import_dashboards` dashboards, as the file to import."""
        if payload not in self._import_files:
            ids = self.datasets[payload].dashboard_ids(self.options.import_dashboards)
            self._import_files[payload] = export_dashboards(port, ids).body
        return self._import_files[payload]

    def import_counts(self, payload: str) -> tuple[int, int]:
        """(entities, reports) in the import file."""
        if payload not in self._import_counts:
            entities = self.import_entities(payload)
            reports = sum(1 for e in entities if e["exportEntityType"] != "dashboard")
            self._import_counts[payload] = (len(entities), reports)
        return self._import_counts[payload]

    def import_entities(self, payload: str) -> list[dict[str, Any]]:
        """The import file parsed, anew each time: kept, the 25kb-xml one would hold gigabytes
        in the harness's own process while it times the servers."""
        entities = json.loads(self._import_files[payload])
        assert isinstance(entities, list)
        return entities


def _wrk_note(result: WrkResult) -> str:
    if result.clean:
        return ""
    return f"{result.non_2xx} non-2xx responses, {result.socket_errors} socket errors"


def one_export(bench: Bench, run: int) -> str:
    """Scenario 1: the seed's export of dashboards 123 and 456 under 16 connections, against a
    bare app that answers the same bytes from memory."""
    options = bench.options
    record = bench.recorder(ONE_EXPORT, SEED, run)
    folder = work_dir("one-export")
    script = post_script(folder / "export.lua", json.dumps(SEED_IDS), TOKEN)
    body_path = folder / f"body-{bench.name}.json"

    def load_test(server: ServerProcess, label: str) -> WrkResult:
        url = f"http://127.0.0.1:{server.port}{EXPORT_DASHBOARDS}"
        common = {"connections": options.connections, "threads": options.wrk_threads}
        run_wrk(url, script, duration_s=options.warmup_s, **common)
        with bench.profiled(server, label):
            result = run_wrk(url, script, duration_s=options.duration_s, **common)
        server.check_alive()
        return result

    with bench.server() as server:
        expected = export_dashboards(server.port, SEED_IDS)
        body_path.write_bytes(expected.body)
        ours = load_test(server, f"one-export-run{run}")
    with floor_server(body_path, options.workers) as floor:
        answered = export_dashboards(floor.port, SEED_IDS)
        if answered.body != expected.body or answered.content_type != expected.content_type:
            raise RuntimeError("the floor app does not answer boardport's bytes")
        refused = request(floor.port, "POST", EXPORT_DASHBOARDS, b"[]", token="wrong")
        if refused.status != 401:
            raise RuntimeError(f"the floor app let a wrong token through ({refused.status})")
        theirs = load_test(floor, f"one-export-floor-run{run}")
    # A load test that saw non-2xx answers or socket errors measured something else: a MISS.
    record(BOARDPORT_RPS, ours.requests_per_s, "req/s", _wrk_note(ours), fault=not ours.clean)
    record(FLOOR_RPS, theirs.requests_per_s, "req/s", _wrk_note(theirs), fault=not theirs.clean)
    record(BOARDPORT_P99, ours.p99_s, "s", _wrk_note(ours), fault=not ours.clean)
    record(FLOOR_P99, theirs.p99_s, "s", _wrk_note(theirs), fault=not theirs.clean)
    record(RESPONSE_SIZE, len(expected.body), "B")
    return (
        f"boardport {ours.requests_per_s:,.0f} req/s p99 {ours.p99_s * 1000:.1f} ms; "
        f"floor {theirs.requests_per_s:,.0f} req/s p99 {theirs.p99_s * 1000:.1f} ms"
    )


def jwt_export(bench: Bench, run: int) -> str:
    """Scenario 5: scenario 1's export from one server that accepts the static token and the
    JWTs of a token server (tests.token_server, on loopback), loaded with each for half the wrk
    duration twice. The JWT is one client-credentials token, sent again and again as a client
    does until it expires."""
    options = bench.options
    record = bench.recorder(JWT_EXPORT, SEED, run)
    folder = work_dir("jwt-export")
    common = {"connections": options.connections, "threads": options.wrk_threads}

    def load_test(server: ServerProcess, token: str, label: str, part: int) -> WrkResult:
        script = post_script(folder / f"{label}.lua", json.dumps(SEED_IDS), token)
        url = f"http://127.0.0.1:{server.port}{EXPORT_DASHBOARDS}"
        with bench.profiled(server, f"jwt-export-{label}-run{run}-{part}"):
            result = run_wrk(url, script, duration_s=half, **common)
        server.check_alive()
        return result

    # Static, JWT, JWT, static: the machine's load drifts, and this order cancels a steady
    # drift between the two figures.
    half = max(1, options.duration_s // 2)
    with TokenServer() as provider:
        jwt = provider.grant()
        extra = {"BOARDPORT_JWT_JWKS_URL": provider.jwks_url}
        extra["BOARDPORT_JWT_AUDIENCE"] = provider.audience
        with boardport_server(bench.database.url, options.workers, extra) as server:
            for token in (TOKEN, jwt):
                answered = request(server.port, "POST", EXPORT_DASHBOARDS, b'["123"]', token=token)
                if answered.status != 200:
                    raise RuntimeError(f"the server refused a token ({answered.status})")
            warm = post_script(folder / "warm-up.lua", json.dumps(SEED_IDS), jwt)
            url = f"http://127.0.0.1:{server.port}{EXPORT_DASHBOARDS}"
            run_wrk(url, warm, duration_s=options.warmup_s, **common)
            parts: dict[str, list[WrkResult]] = {"static": [], "jwt": []}
            for part, (label, token) in enumerate(
                [("static", TOKEN), ("jwt", jwt), ("jwt", jwt), ("static", TOKEN)]
            ):
                parts[label].append(load_test(server, token, label, part))
    static, signed = (_combined(parts[label]) for label in ("static", "jwt"))
    record(STATIC_TOKEN_RPS, static.requests_per_s, "req/s", _wrk_note(static))
    record(JWT_RPS, signed.requests_per_s, "req/s", _wrk_note(signed))
    record(STATIC_TOKEN_P99, static.p99_s, "s")
    record(JWT_P99, signed.p99_s, "s")
    return (
        f"static token {static.requests_per_s:,.0f} req/s p99 {static.p99_s * 1000:.1f} ms; "
        f"JWT {signed.requests_per_s:,.0f} req/s p99 {signed.p99_s * 1000:.1f} ms"
    )


def _combined(results: list[WrkResult]) -> WrkResult:
    """Equal-length wrk runs as one: their mean rate, the worse p99, every failure counted."""
    return WrkResult(
        requests_per_s=sum(r.requests_per_s for r in results) / len(results),
        p99_s=max(r.p99_s for r in results),
        requests=sum(r.requests for r in results),
        non_2xx=sum(r.non_2xx for r in results),
        socket_errors=sum(r.socket_errors for r in results),
        report="\n".join(r.report for r in results),
    )


SINGLE = {ONE_EXPORT: one_export, JWT_EXPORT: jwt_export}
"""The scenarios that run on the seed's export alone, once per run."""


def big_export(bench: Bench, run: int, payload: str) -> str:
    """Scenario 2: all dashboards in one request, against the driver reading the same rows and
    splicing them into one JSON array; and the server's peak memory above idle."""
    record = bench.recorder(BIG_EXPORT, payload, run)
    ids = bench.datasets[payload].dashboard_ids(bench.options.dashboards)
    # Read the rows once first, so that neither side pays for disk reads: this machine's kernel
    # may have paged the cold page cache out (see machine.memory_reclaim).
    timed_export_floor(bench.database, ids)
    with bench.server() as server:
        export_dashboards(server.port, ids[:1])
        meter = PeakMeter(server.pid)
        meter.start()
        with bench.profiled(server, f"big-export-{payload}-run{run}"):
            result = export_dashboards(server.port, ids, expect=None)
        peak = meter.stop()
        server.check_alive()
    ok = result.status == 200
    note = "" if ok else f"answered {result.describe()}"
    floor_seconds, floor_body = timed_export_floor(bench.database, ids)
    identical = floor_body == result.body
    floor_note = "" if identical or not ok else "floor bytes differ from boardport's"
    record(BOARDPORT_TIME, result.seconds if ok else None, "s", note)
    # A floor that answers other bytes is no floor: the comparison is a MISS.
    record(FLOOR_TIME, floor_seconds, "s", floor_note, fault=ok and not identical)
    record(PEAK_MEMORY, peak if ok else None, "B", note)
    record(IDLE_MEMORY, meter.idle_bytes, "B")
    record(RESPONSE_SIZE, len(result.body) if ok else None, "B")
    return (
        f"boardport {result.seconds:.2f}s ({result.describe()}, {len(result.body) / 1e6:.1f} MB, "
        f"peak +{peak / 1e6:.0f} MB); floor {floor_seconds:.2f}s"
        + ("" if identical else " (floor bytes differ)")
    )


class TransactionWatch:
    """Watches, from a connection of its own, how the collection's reports appear while an
    import runs: all at once (one transaction) or in steps. On SQLite it also counts commits
    (PRAGMA data_version); on PostgreSQL the rows' xmin tell afterwards."""

    def __init__(self, database: Database, collection_id: str, reports: int) -> None:
        self._database = database
        self._collection_id = collection_id
        self._reports = reports
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self.partial_counts: set[int] = set()
        self.commits = 0
        self.error: BaseException | None = None

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        database = self._database
        try:
            connection = database.connect(autocommit=True)
        except BaseException as error:  # reported through one_transaction()
            self.error = error
            return
        try:
            version = None
            while True:
                if database.backend is Backend.SQLITE:
                    current = database.query(connection, "PRAGMA data_version")[0][0]
                    if version is not None and current != version:
                        self.commits += 1
                    version = current
                count = database.query(
                    connection,
                    "SELECT count(*) FROM report WHERE collection_id = ?",
                    [self._collection_id],
                )[0][0]
                if 0 < count < self._reports:
                    self.partial_counts.add(count)
                if self._stop.wait(0.005):
                    break
        except BaseException as error:
            self.error = error
        finally:
            connection.close()

    def verdict(self) -> tuple[bool, str]:
        """(one transaction?, why not)."""
        if self.error is not None:
            return False, f"the watch failed: {self.error}"
        if self.partial_counts:
            shown = sorted(self.partial_counts)[:5]
            return False, f"reports appeared in steps: {shown} of {self._reports}"
        if self.commits > 1:
            return False, f"{self.commits} commits during the import"
        if self._database.backend is Backend.POSTGRESQL:
            count = postgres_transactions(self._database, self._collection_id)
            if count != 1:
                return False, f"rows written by {count} transactions (xmin)"
        return True, ""


def postgres_transactions(database: Database, collection_id: str) -> int:
    """How many transactions wrote the collection's reports, dashboards and tiles."""
    connection = database.connect(autocommit=True)
    try:
        rows = database.query(
            connection,
            "SELECT count(DISTINCT x) FROM ("
            " SELECT xmin::text AS x FROM report WHERE collection_id = ?"
            " UNION ALL SELECT xmin::text FROM dashboard WHERE collection_id = ?"
            " UNION ALL SELECT t.xmin::text FROM dashboard_tile t"
            "  JOIN dashboard d ON d.id = t.dashboard_id WHERE d.collection_id = ?) AS writers",
            [collection_id] * 3,
        )
        return int(rows[0][0])
    finally:
        connection.close()


def create_collection(port: int, name: str) -> str:
    created = post_json(port, "/api/public/collection/create", {"name": name}).json()
    assert isinstance(created, dict)
    return str(created["id"])


def big_import(bench: Bench, run: int, payload: str) -> str:
    """Scenario 3: the big export as one file into an empty collection, against the driver
    inserting the same rows in one transaction."""
    record = bench.recorder(BIG_IMPORT, payload, run)
    key = definition_key(payload)
    definition: dict[str, object] = {"type": "process", "version": "1", "name": "Benchmark"}
    definition |= {"key": key} if payload == SMALL else {"xml": bpmn_xml(key)}
    with bench.server() as server:
        body = bench.import_file(payload, server.port)
        entities, reports = bench.import_counts(payload)
        post_json(server.port, "/api/public/definition", definition)
        collection = create_collection(server.port, f"import {payload} run {run}")
        scope = [{"definitionType": "process", "definitionKey": key, "tenants": [TENANT]}]
        put_json(server.port, f"/api/public/collection/{collection}/scope", scope)
        floor_collection = create_collection(server.port, f"floor import {payload} run {run}")
        meter = PeakMeter(server.pid)
        meter.start()
        with (
            TransactionWatch(bench.database, collection, reports) as watch,
            bench.profiled(server, f"big-import-{payload}-run{run}"),
        ):
            result = request(
                server.port, "POST", f"/api/public/import?collectionId={collection}", body
            )
        peak = meter.stop()
        server.check_alive()
    ok = result.status == 200
    note = "" if ok else f"answered {result.describe()}"
    if ok:
        items = result.json()
        if not isinstance(items, list) or len(items) != entities:
            ok, note = False, f"answered {len(items) if isinstance(items, list) else '?'} items"
    one_transaction, why = watch.verdict() if ok else (None, note)
    rows = import_rows(bench.database, bench.import_entities(payload), floor_collection)
    gc.collect()
    floor_seconds = insert_floor(bench.database, rows)
    record(BOARDPORT_TIME, result.seconds if ok else None, "s", note)
    record(FLOOR_TIME, floor_seconds, "s")
    record(
        ONE_TRANSACTION, None if one_transaction is None else float(one_transaction), "flag", why
    )
    record(REQUEST_SIZE, len(body), "B")
    record(ENTITIES, entities, "count")
    record(PEAK_MEMORY, peak if ok else None, "B", note)
    return (
        f"boardport {result.seconds:.2f}s ({result.describe()}, {len(body) / 1e6:.1f} MB, "
        f"{entities:,} entities, one transaction: {one_transaction}); "
        f"floor {floor_seconds:.2f}s"
    )


def growth(bench: Bench, run: int, payload: str) -> str:
    """Scenario 4: the big export's time at each size."""
    record = bench.recorder(GROWTH, payload, run)
    ids = bench.datasets[payload].dashboard_ids(max(bench.options.growth_sizes))
    timed_export_floor(bench.database, ids)  # the rows in the page cache, as for every size
    shown = []
    with bench.server() as server:
        export_dashboards(server.port, ids[:1])
        with bench.profiled(server, f"growth-{payload}-run{run}"):
            for size in bench.options.growth_sizes:
                result = export_dashboards(server.port, ids[:size], expect=None, keep_body=False)
                ok = result.status == 200
                note = "" if ok else f"answered {result.describe()}"
                value = result.seconds if ok else None
                record(growth_time(size), value, "s", note)
                shown.append(f"{size}: {result.seconds * 1000:.0f} ms")
        server.check_alive()
    return ", ".join(shown)


def prepared_collection(port: int, payload: str, name: str) -> str:
    """A new collection whose scope holds the payload's definition, registered first."""
    key = definition_key(payload)
    definition: dict[str, object] = {"type": "process", "version": "1", "name": "Benchmark"}
    definition |= {"key": key} if payload == SMALL else {"xml": bpmn_xml(key)}
    post_json(port, "/api/public/definition", definition)
    collection = create_collection(port, name)
    scope = [{"definitionType": "process", "definitionKey": key, "tenants": [TENANT]}]
    put_json(port, f"/api/public/collection/{collection}/scope", scope)
    return collection


def edited_file(bench: Bench, payload: str) -> bytes:
    """The import file with every report renamed: each one is then updated in place."""
    entities = bench.import_entities(payload)
    for entity in entities:
        if entity["exportEntityType"] != "dashboard":
            entity["name"] = f"{entity['name']} (edited)"
    return json.dumps(entities).encode()


def reimport(bench: Bench, run: int, payload: str) -> str:
    """Scenario 5: deploy the big file with overwrite into an empty collection, then again
    (every entity unchanged), then with every report edited (every report updated)."""
    record = bench.recorder(REIMPORT, payload, run)
    with bench.server() as server:
        body = bench.import_file(payload, server.port)
        entities, reports = bench.import_counts(payload)
        edited = edited_file(bench, payload)
        collection = prepared_collection(server.port, payload, f"re-import run {run}")
        path = f"/api/public/import?collectionId={collection}&overwrite=true"
        timed: dict[str, float | None] = {}
        notes: dict[str, str] = {}
        expected = {
            FIRST_IMPORT_TIME: (body, {"created": entities}),
            UNCHANGED_TIME: (body, {"unchanged": entities}),
            EDITED_TIME: (edited, {"updated": reports, "unchanged": entities - reports}),
        }
        for name, (file, actions) in expected.items():
            gc.collect()
            with bench.profiled(server, f"re-import-{payload}-{len(timed)}-run{run}"):
                result = request(server.port, "POST", path, file, keep_body=True)
            answered: dict[str, int] = {}
            if result.status == 200:
                for item in cast("list[dict[str, str]]", result.json()):
                    answered[item["action"]] = answered.get(item["action"], 0) + 1
            ok = result.status == 200 and answered == actions
            timed[name] = result.seconds if ok else None
            notes[name] = "" if ok else f"answered {result.describe()}, actions {answered}"
        server.check_alive()
    for name, seconds in timed.items():
        record(name, seconds, "s", notes[name])
    return ", ".join(f"{name}: {'n/a' if s is None else f'{s:.2f}s'}" for name, s in timed.items())
