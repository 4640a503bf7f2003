from __future__ import annotations

from application.ports.optimize_server import EntityKind, OptimizeServer
from application.use_cases.list_collection_entities import EntitySummary
from application.use_cases.pull_collection import DEFAULT_BATCH, batches


class ListRemoteEntities:
    """Names, ids and types of the dashboards or reports of a collection on a server, in the
    server's order. The public API lists only ids, so names come from exports, asked for in
    batches. An unknown collection is a 404, not an empty list."""

    def __init__(self, source: OptimizeServer, batch_size: int = DEFAULT_BATCH) -> None:
        self._source = source
        self._batch = batch_size

    def __call__(self, kind: EntityKind, collection_id: str) -> list[EntitySummary]:
        ids = self._source.list_ids(kind, collection_id)
        if not ids:
            self._source.check_collection(collection_id)  # a 404 for an unknown collection
        wanted = set(ids)
        found: dict[str, EntitySummary] = {}
        for batch in batches(ids, self._batch):
            for entity in self._source.export(kind, batch):
                if not isinstance(entity, dict) or entity.get("id") not in wanted:
                    continue  # a report a dashboard or combined report brought along
                entity_id = str(entity["id"])
                found[entity_id] = EntitySummary(
                    entity_id,
                    str(entity.get("name", "")),
                    str(entity.get("exportEntityType", "")).lower(),
                )
        return [found[i] for i in ids if i in found]
