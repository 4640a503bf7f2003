"""The collection the client's use-case tests move about, and the runs they make of pull, push
and migrate against the fake server."""

from __future__ import annotations

import json
from typing import Any

from application.deploy.delivery import DeliveryOptions
from application.ports.optimize_server import ServerKind
from application.use_cases.migrate_collection import MigrateCollection, MigrateResult
from application.use_cases.pull_collection import PullCollection
from application.use_cases.push_directory import PushDirectory, PushOptions, PushResult
from tests.builders.wire import (
    combined_report_entity,
    dashboard_entity,
    process_report_entity,
    text_tile_json,
)
from tests.client_fakes import FakeFileTree, MemorySpool, NoReleaseConverter, RecordingProgress
from tests.fake_optimize_server import FakeOptimizeServer, StoredEntity

SOURCE = "source-collection"
TARGET = "target-collection"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def bpmn(key: str, label: str = "") -> str:
    return (
        f'<bpmn:definitions xmlns:bpmn="{BPMN}"><bpmn:process id="{key}" name="{key.title()}"'
        f' isExecutable="true"/><!--{label}--></bpmn:definitions>'
    )


def source_server(**options: Any) -> FakeOptimizeServer:
    """A collection of two dashboards sharing a report, a combined report, and a report on no
    dashboard; two definitions, the XML of invoice carried by three reports."""
    server = FakeOptimizeServer(**{"url": "http://source.invalid", **options})
    entities = [
        process_report_entity("r1", xml=bpmn("invoice"), versions=("1",)),
        process_report_entity("r2", xml=bpmn("invoice"), versions=("1",)),
        process_report_entity("r3", key="order", xml=bpmn("order")),
        combined_report_entity("c1", ["r1", "r2"]),
        process_report_entity("loose", xml=bpmn("invoice"), versions=("1",)),
        dashboard_entity("d1", ["r1", "c1"], extra_tiles=[text_tile_json()]),
        dashboard_entity("d2", ["r1", "r3"], extra_tiles=[text_tile_json()]),
    ]
    for entity in entities:
        server.entities[str(entity["id"])] = StoredEntity(entity, SOURCE)
    return server


def boardport_target(**options: Any) -> FakeOptimizeServer:
    return FakeOptimizeServer(url="http://target.invalid", **options)


def optimize_target(**options: Any) -> FakeOptimizeServer:
    """An Optimize that knows every definition (it learns them from its engine)."""
    return FakeOptimizeServer(
        url="http://target.invalid",
        server_kind=ServerKind.OPTIMIZE,
        check_definitions=options.pop("check_definitions", False),
        **options,
    )


def pulled(server: FakeOptimizeServer, tree: FakeFileTree, batch_size: int = 100) -> None:
    PullCollection(server, tree, batch_size=batch_size)(SOURCE)


def pulled_tree() -> FakeFileTree:
    tree = FakeFileTree()
    pulled(source_server(), tree)
    return tree


def push(
    target: FakeOptimizeServer,
    tree: FakeFileTree,
    progress: RecordingProgress | None = None,
    *,
    collection_id: str = TARGET,
    partial: bool = False,
    **options: Any,
) -> PushResult:
    return PushDirectory(
        target, tree, MemorySpool(), converter=NoReleaseConverter(), progress=progress
    )(collection_id, PushOptions(DeliveryOptions(**options), partial=partial))


def migrate(
    source: FakeOptimizeServer,
    target: FakeOptimizeServer,
    batch_size: int = 100,
    converter: Any = None,
    **options: Any,
) -> MigrateResult:
    return MigrateCollection(
        source,
        target,
        MemorySpool(),
        converter=converter or NoReleaseConverter(),
        batch_size=batch_size,
    )(SOURCE, TARGET, DeliveryOptions(**options))


def without_ids(entities: list[dict[str, Any]]) -> list[str]:
    """Each entity's content with every id, and the ids it refers to, taken out."""

    def scrub(value: dict[str, Any]) -> str:
        value = json.loads(json.dumps(value))
        for key in ("id", "collectionId", "sourceIndexVersion"):
            value.pop(key, None)
        for tile in value.get("tiles", []):
            tile["id"] = "report" if tile["id"] else ""
        for child in value.get("data", {}).get("reports", []):
            child["id"] = "child"
        return json.dumps(value, sort_keys=True)

    return sorted(scrub(e) for e in entities)


def edit(tree: FakeFileTree, path: str, **fields: Any) -> None:
    """A change to one entity file, as a user would make it in Git."""
    entity = json.loads(tree.files[path])
    entity.update(fields)
    tree.files[path] = json.dumps(entity)
