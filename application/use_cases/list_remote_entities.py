from __future__ import annotations

from collections.abc import Callable, Sequence

from application.deploy.selected_exports import batches, export_selected, stop_unmatched
from application.ports.optimize_server import EntityKind, OptimizeServer
from application.use_cases.list_collection_entities import EntitySummary
from application.use_cases.pull_collection import DEFAULT_BATCH
from domain.json_document import JsonValue
from domain.selection import Selection, Selector


class ListRemoteEntities:
    """Names, ids and types of the dashboards or reports of a collection on a server, in the
    server's order. The public API lists only ids, so names come from exports, asked for in
    batches. An unknown collection is a 404, not an empty list. With a selector, only those
    of its part (what a pull or migrate with it would take); a selector that matches nothing
    is an error."""

    def __init__(self, source: OptimizeServer, batch_size: int = DEFAULT_BATCH) -> None:
        self._source = source
        self._batch = batch_size

    def __call__(
        self, kind: EntityKind, collection_id: str, selector: Selector | None = None
    ) -> list[EntitySummary]:
        if selector is None or selector.whole:
            return self._listed(kind, collection_id)
        listed = (
            self._source.list_ids(EntityKind.DASHBOARD, collection_id),
            self._source.list_ids(EntityKind.REPORT, collection_id),
        )
        if not any(listed):
            self._source.check_collection(collection_id)
        where = f"collection {collection_id} of {self._source.url}"
        selection = Selection(selector, *listed)
        stop_unmatched(selection.absent(), where)
        found: dict[str, EntitySummary] = {}
        wanted = set(listed[0] if kind is EntityKind.DASHBOARD else listed[1])
        take = _summaries(found, wanted)
        export_selected(self._source.export, selection, listed, self._batch, take)
        stop_unmatched(selection.unmatched(), where)
        ids = listed[0] if kind is EntityKind.DASHBOARD else listed[1]
        return [found[i] for i in ids if i in found]

    def _listed(self, kind: EntityKind, collection_id: str) -> list[EntitySummary]:
        ids = self._source.list_ids(kind, collection_id)
        if not ids:
            self._source.check_collection(collection_id)  # a 404 for an unknown collection
        found: dict[str, EntitySummary] = {}
        take = _summaries(found, set(ids))
        for batch in batches(ids, self._batch):
            take(self._source.export(kind, batch))
        return [found[i] for i in ids if i in found]


def _summaries(
    found: dict[str, EntitySummary], wanted: set[str]
) -> Callable[[Sequence[JsonValue]], None]:
    """Keeps in `found` a summary of each entity of an export answer that is `wanted`."""

    def take(entities: Sequence[JsonValue]) -> None:
        for entity in entities:
            if not isinstance(entity, dict) or entity.get("id") not in wanted:
                continue  # a report a dashboard or combined report brought along
            entity_id = str(entity["id"])
            found[entity_id] = EntitySummary(
                entity_id,
                str(entity.get("name", "")),
                str(entity.get("exportEntityType", "")).lower(),
            )

    return take
