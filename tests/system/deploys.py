"""Two real `boardport serve` processes for the deploy tests: a source with the demo collection
(SQLite), and a target on the database under test; and what the tests ask of them."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.databases import postgres_database, unavailable
from tests.system.servers import Server
from tests.system.test_client import (
    DEMO_COLLECTION,
    Run,
    boardport,
    exported,
    migrate_args,
    new_collection,
)

DEMO_ENTITIES = 8
"""The demo collection: six reports (one combined) on two dashboards."""
VERSION_HEADER = "X-Boardport-Version"


@dataclass
class DeployServers:
    source: Server
    target: Server


@contextmanager
def target_database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'target.sqlite3'}"
        return
    with postgres_database("boardport_deploys") as url:
        if url is None:
            unavailable("PostgreSQL is not reachable at BOARDPORT_TEST_POSTGRES_URL")
        assert url is not None
        yield url.render_as_string(hide_password=False)


def migrate_to(
    servers: DeployServers, collection_id: str, target_url: str | None = None, *extra: str,
    **environ: str,
) -> Run:  # fmt: skip
    """`boardport migrate --json` of the demo collection into `collection_id`, through
    `target_url` (a proxy) when given."""
    target = target_url or servers.target.url
    args = migrate_args(collection_id, source=servers.source.url, target=target)
    return boardport(*args, "--json", *extra, **environ)


def document(run: Run) -> dict[str, Any]:
    assert run.returncode == 0, run.stderr
    answer: dict[str, Any] = json.loads(run.stdout)
    return answer


def held(server: Server, collection_id: str) -> Counter[tuple[str, str]]:
    """What the collection holds: each (entity type, name) with its count."""
    return Counter((e["exportEntityType"], e["name"]) for e in exported(server, collection_id))


def demo_once(servers: DeployServers) -> Counter[tuple[str, str]]:
    """The demo collection's entities, each once: a converged target holds exactly these."""
    demo = held(servers.source, DEMO_COLLECTION)
    assert sum(demo.values()) == DEMO_ENTITIES
    return demo


def fresh_collection(servers: DeployServers) -> str:
    return new_collection(servers.target)
