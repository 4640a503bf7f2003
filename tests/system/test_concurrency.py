"""Parallel imports, exports and deletes against `boardport serve` with several workers on
PostgreSQL: no 5xx, every export a consistent snapshot, deleted entities never half-visible,
and no dangling reference afterwards. Bounded in time and in count, on loopback only."""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL

from entrypoints.container import Container, build_container
from entrypoints.settings import Settings
from tests.conftest import TOKEN
from tests.databases import truncate_all
from tests.system.importing import COLLECTION, broken_references, import_file, prepare_target
from tests.system.servers import running_server

pytestmark = pytest.mark.postgres

SECONDS = float(os.environ.get("BOARDPORT_CONCURRENCY_SECONDS", "30"))
CLIENTS = 8
WORKERS = 2
MAX_OPERATIONS = 50_000
DASHBOARDS = "/api/public/export/dashboard/definition/json"
REPORTS = "/api/public/export/report/definition/json"


@dataclass
class World:
    """What the clients know: what they created, and when they saw something deleted."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    dashboards: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    deleted_at: dict[str, float] = field(default_factory=dict)
    delete_attempts: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def pick(self, ids: list[str], rng: random.Random, most: int) -> list[str]:
        with self.lock:
            return rng.sample(ids, min(len(ids), rng.randint(1, most))) if ids else []

    def note(self, operation: str, status: int) -> None:
        with self.lock:
            self.outcomes[f"{operation} {status}"] += 1

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)

    def deleting(self, entity_id: str) -> None:
        """Marks `entity_id` as asked to be deleted, before the request goes out: from then on
        it may be gone."""
        with self.lock:
            self.delete_attempts[entity_id] += 1

    def never_deleted(self, ids: list[str], *, attempts_allowed: int = 0) -> list[str]:
        """The IDs of `ids` for which at most `attempts_allowed` deletes were ever sent."""
        with self.lock:
            return [i for i in ids if self.delete_attempts[i] <= attempts_allowed]

    def deleted_before(self, moment: float) -> set[str]:
        with self.lock:
            return {i for i, when in self.deleted_at.items() if when < moment}


def check_export(world: World, started: float, entities: list[dict[str, Any]]) -> None:
    """An export is one snapshot: everything it names is in it, nothing deleted before it
    started is in it."""
    present = {e["id"] for e in entities}
    gone = world.deleted_before(started)
    for entity in entities:
        named = [t["id"] for t in entity.get("tiles", []) if t["type"] == "optimize_report"]
        if entity["exportEntityType"] == "combined_report":
            named = [r["id"] for r in entity["data"]["reports"]]
        if missing := [n for n in named if n not in present]:
            world.problem(f"export names {missing} without carrying them")
        if entity["id"] in gone:
            world.problem(f"export carries {entity['id']}, deleted before the export began")
        if stale := [n for n in named if n in gone]:
            world.problem(f"{entity['id']} still names deleted {stale}")


def client_loop(url: str, world: World, seed: int, stop_at: float) -> None:
    rng = random.Random(seed)
    with httpx.Client(
        base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60
    ) as http:
        number = 0
        while time.monotonic() < stop_at and sum(world.outcomes.values()) < MAX_OPERATIONS:
            number += 1
            roll = rng.random()
            started = time.monotonic()
            if roll < 0.2:
                prefix = f"c{seed}-{number}-"
                response = http.post(
                    f"/api/public/import?collectionId={COLLECTION}", json=import_file(2, prefix)
                )
                operation = "import"
                if response.status_code == 200:
                    items = response.json()
                    with world.lock:
                        world.reports += [i["id"] for i in items if i["entityType"] == "report"]
                        world.dashboards += [
                            i["id"] for i in items if i["entityType"] == "dashboard"
                        ]
            elif roll < 0.55:
                operation = "export-dashboards"
                response = http.post(DASHBOARDS, json=world.pick(world.dashboards, rng, 3))
            elif roll < 0.75:
                operation = "export-reports"
                response = http.post(REPORTS, json=world.pick(world.reports, rng, 4))
            else:
                is_report = roll < 0.9
                operation = "delete-report" if is_report else "delete-dashboard"
                chosen = world.pick(world.reports if is_report else world.dashboards, rng, 1)
                if not chosen:
                    continue
                kind = "report" if is_report else "dashboard"
                world.deleting(chosen[0])
                response = http.delete(f"/api/public/{kind}/{chosen[0]}")
                if response.status_code == 204:
                    with world.lock:
                        world.deleted_at[chosen[0]] = time.monotonic()
            world.note(operation, response.status_code)
            if unexpected := check_answer(world, operation, response):
                world.problem(f"{operation} answered {response.status_code}: {unexpected}")
            elif operation.startswith("export") and response.status_code == 200:
                check_export(world, started, response.json())


EXPECTED = {"import": 200, "export": 200, "delete": 204}


def check_answer(world: World, operation: str, response: httpx.Response) -> str | None:
    """What is wrong with an answer, or None. Every operation has one success status. The only
    other answer allowed is a 404 for IDs someone asked to delete: an export naming only such
    IDs, or a delete of an ID another client asked to delete too."""
    status = response.status_code
    if status == EXPECTED[operation.split("-", maxsplit=1)[0]]:
        return None
    if status != 404 or operation == "import":
        return response.text
    if operation.startswith("delete"):
        entity_id = str(response.request.url).rsplit("/", 1)[-1]
        # Our own attempt counts once; a 404 needs another client's delete of the same ID.
        if world.never_deleted([entity_id], attempts_allowed=1):
            return f"{entity_id} was never deleted by anyone else: {response.text}"
        return None
    message = response.json()["detailedMessage"]
    missing = message[message.index("[") + 1 : message.rindex("]")].split(", ")
    if never := world.never_deleted(missing):
        return f"{never} were never deleted: {response.text}"
    return None


@pytest.fixture
def postgres_container(postgres_url: URL) -> Iterator[Container]:
    truncate_all(postgres_url)
    url = postgres_url.render_as_string(hide_password=False)
    container = build_container(Settings(database_url=url, api_access_token=TOKEN))
    yield container
    container.engine().dispose()
    truncate_all(postgres_url)


def test_parallel_clients_never_see_a_5xx_or_a_broken_reference(
    postgres_container: Container, postgres_url: URL, tmp_path: Path
) -> None:
    prepare_target(postgres_container)
    url = postgres_url.render_as_string(hide_password=False)
    world = World()
    with running_server(url, tmp_path, workers=WORKERS) as server:
        stop_at = time.monotonic() + SECONDS
        clients = [
            threading.Thread(target=client_loop, args=(server.url, world, seed, stop_at))
            for seed in range(CLIENTS)
        ]
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=SECONDS + 120)
        assert not any(c.is_alive() for c in clients), "a client hung"
    print(f"\nconcurrency: {sum(world.outcomes.values())} operations", dict(world.outcomes))  # noqa: T201 - the counts are this test's report
    assert world.problems == []
    engine = postgres_container.engine()
    assert broken_references(engine) == []
    with engine.connect() as connection:
        combined = connection.execute(
            text("SELECT id, data FROM report WHERE entity_type = 'combined_report'")
        ).all()
        links = connection.execute(
            text("SELECT combined_id, child_id FROM combined_report_child ORDER BY position")
        ).all()
    children: dict[str, list[str]] = {}
    for combined_id, child_id in links:
        children.setdefault(combined_id, []).append(child_id)
    for combined_id, data in combined:
        listed = [entry["id"] for entry in json.loads(data)["reports"]]
        assert listed == children.get(combined_id, []), f"{combined_id}: data and links differ"
    deletes = world.outcomes["delete-report 204"] + world.outcomes["delete-dashboard 204"]
    assert world.outcomes["import 200"] > 0
    assert deletes > 0
