"""An in-memory server that keeps the Optimize contract, for the client's use-case tests: it
stores entities as export JSON, exports closed under references, imports all or nothing under
new ids, and acts as a boardport of now (the import's overwrite, source, prune, prepare and
Idempotency-Key, PUBLIC_API.md §4), as an earlier boardport (overwrite only; definitions and
scope by calls of their own), or as an Optimize. It can lose an import's answer after it
committed, as a proxy or a network does."""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from application.ports.optimize_server import (
    AnswerLost,
    EntityKind,
    ImportAnswerItem,
    ImportBody,
    ImportRequest,
    OptimizeServer,
    ServerKind,
    ServerKindUnknown,
    ServerRefused,
    ServerUnreachable,
)
from domain.collection import ScopeEntry
from domain.definition import Definition
from domain.definitions_from_export import definitions_to_register, scope_needed
from domain.export_format.reader import read_export_file
from domain.json_document import JsonValue
from tests.fake_server_checks import check_file, kind_of, remapped, same_content


@dataclass
class StoredEntity:
    value: dict[str, Any]
    collection_id: str
    source_id: str | None = None
    """The origin: the id the entity had in the file that created it, while it is the newest
    copy of that id in its collection."""
    label: str | None = None


@dataclass
class FakeOptimizeServer(OptimizeServer):
    url: str = "http://fake.invalid"
    server_kind: ServerKind = ServerKind.BOARDPORT
    kind_unknown: bool = False
    index_versions: dict[str, int] = field(
        default_factory=lambda: {
            "single_process_report": 11,
            "single_decision_report": 10,
            "combined_report": 5,
            "dashboard": 8,
        }
    )
    check_definitions: bool = True
    collections: set[str] | None = None
    """The collections it has; None: any."""
    entities: dict[str, StoredEntity] = field(default_factory=dict)
    known_definitions: list[Definition] = field(default_factory=list)
    scopes: dict[str, list[ScopeEntry]] = field(default_factory=dict)
    export_batches: list[int] = field(default_factory=list)
    imports: list[dict[str, Any]] = field(default_factory=list)
    refuse_imports: list[ServerRefused] = field(default_factory=list)
    lose_answers: int = 0
    """Imports whose answer is lost after they committed."""
    drop_imports: int = 0
    """Imports whose answer is lost before they were acted on."""
    meanwhile: Callable[[FakeOptimizeServer], None] | None = None
    """What someone else does while an import runs."""
    fail_deletes_after: int | None = None
    """Deletes that succeed before every further one fails (a target that went away)."""
    dashboards_first_in_answers: bool = False
    keys: dict[str, tuple[str, list[ImportAnswerItem]]] = field(default_factory=dict)
    replays: int = 0
    _ids: Iterable[int] = field(default_factory=lambda: itertools.count(1000))

    @property
    def boardport(self) -> bool:
        return self.server_kind.is_boardport

    # -- the port ---------------------------------------------------------------------------
    def kind(self) -> ServerKind:
        if self.kind_unknown:
            raise ServerKindUnknown(f"cannot tell whether {self.url} is a boardport")
        return self.server_kind

    def check_collection(self, collection_id: str) -> None:
        if self.collections is not None and collection_id not in self.collections:
            raise ServerRefused(
                404, "notFoundError", f"Could not find collections with IDs [{collection_id}]"
            )

    def list_ids(self, kind: EntityKind, collection_id: str) -> list[str]:
        return [
            i
            for i, e in self.entities.items()
            if e.collection_id == collection_id and kind_of(e.value) is kind
        ]

    def export(self, kind: EntityKind, ids: Sequence[str]) -> list[Any]:
        self.export_batches.append(len(ids))
        missing = [
            i for i in ids if i not in self.entities or kind_of(self.entities[i].value) is not kind
        ]
        if missing:
            raise ServerRefused(
                404,
                "notFoundError",
                f"Could not find {kind.value}s with IDs [{', '.join(missing)}]",
            )
        reports: list[str] = []

        def add_report(report_id: str) -> None:
            if report_id not in self.entities:
                raise ServerRefused(500, "serverError", "Could not retrieve some reports")
            if report_id not in reports:
                reports.append(report_id)
                value = self.entities[report_id].value
                if value["exportEntityType"] == "combined_report":
                    for child in value.get("data", {}).get("reports", []):
                        add_report(child["id"])

        dashboards = list(dict.fromkeys(ids)) if kind is EntityKind.DASHBOARD else []
        for dashboard_id in dashboards:
            for tile in self.entities[dashboard_id].value.get("tiles", []):
                if tile.get("type") == "optimize_report" and tile.get("id"):
                    add_report(tile["id"])
        for report_id in ids if kind is EntityKind.REPORT else []:
            add_report(report_id)
        return [self._exported(i) for i in [*reports, *dashboards]]

    def _exported(self, entity_id: str) -> dict[str, Any]:
        stored = self.entities[entity_id]
        value = copy.deepcopy(stored.value)
        value["collectionId"] = stored.collection_id
        value["sourceIndexVersion"] = self.index_versions[value["exportEntityType"]]
        return value

    def import_file(self, body: ImportBody, request: ImportRequest) -> list[ImportAnswerItem]:
        data = b"".join(body.chunks())
        self._check_request(request)
        file = json.loads(data)
        self.imports.append({"request": request, "file": file, "dryRun": request.dry_run})
        replayed = self._replayed(request, data)
        if replayed is not None:
            return replayed
        if self.refuse_imports:
            raise self.refuse_imports.pop(0)
        if self.drop_imports:
            self.drop_imports -= 1
            lost = AnswerLost if request.idempotency_key is None else ServerUnreachable
            raise lost("the connection dropped before the import was read")
        prepared = self._prepared(file, request)
        check_file(self, request.collection_id, file, prepared)
        items = self._imported(file, request)
        if self.meanwhile is not None:
            self.meanwhile(self)
        if not request.dry_run and request.idempotency_key is not None:
            self.keys[request.idempotency_key] = (_fingerprint(request, data), items)
        if self.lose_answers and not request.dry_run:
            self.lose_answers -= 1
            lost = AnswerLost if request.idempotency_key is None else ServerUnreachable
            raise lost("the answer was lost after the import committed")
        return items

    def _check_request(self, request: ImportRequest) -> None:
        boardport_only = (request.dry_run, request.overwrite, request.prune, request.prepare)
        if not self.boardport and (any(boardport_only) or request.source is not None):
            raise AssertionError("the client asked an Optimize for a boardport extension")
        if not self.boardport and request.idempotency_key is not None:
            raise AssertionError("the client sent an Optimize an idempotency key")
        if request.prune and not request.overwrite:
            raise ServerRefused(400, "badRequestError", "prune needs overwrite")

    def _replayed(self, request: ImportRequest, data: bytes) -> list[ImportAnswerItem] | None:
        key = request.idempotency_key
        if self.server_kind is not ServerKind.BOARDPORT or key is None or key not in self.keys:
            return None
        fingerprint, items = self.keys[key]
        if fingerprint != _fingerprint(request, data):
            raise ServerRefused(422, "idempotencyKeyReused", "the key came with another request")
        self.replays += 1
        return items

    def _prepared(
        self, file: list[dict[str, Any]], request: ImportRequest
    ) -> tuple[list[Definition], list[ScopeEntry]]:
        """The definitions and scope `prepare` gives the import (a boardport of now only),
        kept unless this is a dry run."""
        if not request.prepare or self.server_kind is not ServerKind.BOARDPORT:
            return [], []
        entries = read_export_file(cast("JsonValue", file))
        definitions = definitions_to_register(entries, self.known_definitions)
        scope = scope_needed(entries)
        if not request.dry_run:
            self.known_definitions.extend(definitions)
            self.scopes.setdefault(request.collection_id, []).extend(scope)
        return definitions, scope

    def _imported(
        self, file: list[dict[str, Any]], request: ImportRequest
    ) -> list[ImportAnswerItem]:
        collection, label = request.collection_id, request.source
        labelled = self.server_kind is ServerKind.BOARDPORT
        new_ids: dict[str, str] = {}
        actions: dict[str, str] = {}
        for entity in file:
            earlier = [
                i
                for i, s in self.entities.items()
                if request.overwrite
                and s.collection_id == collection
                and s.source_id == entity["id"]
                and (s.label == label or not labelled)
            ]
            new_ids[entity["id"]] = earlier[0] if earlier else f"new-{next(iter(self._ids))}"
            actions[entity["id"]] = "updated" if earlier else "created"
        pruned = self._pruned(file, request) if request.prune and labelled else []
        if request.dry_run:
            return self._answer(file, new_ids, actions, request) + pruned
        for entity in file:
            value = remapped(entity, new_ids)
            target_id = new_ids[entity["id"]]
            if actions[entity["id"]] == "updated" and same_content(
                self.entities[target_id].value, value
            ):
                actions[entity["id"]] = "unchanged"
            for other in self.entities.values():  # the origin follows the newest copy
                if (other.collection_id, other.source_id, other.label) == (
                    collection,
                    entity["id"],
                    label if labelled else None,
                ):
                    other.source_id = None
            self.entities[target_id] = StoredEntity(
                value, collection, entity["id"], label if labelled else None
            )
        for item in pruned:
            self._remove(item.id)
        return self._answer(file, new_ids, actions, request) + pruned

    def _pruned(self, file: list[dict[str, Any]], request: ImportRequest) -> list[ImportAnswerItem]:
        in_file = {e["id"] for e in file}
        return [
            ImportAnswerItem(i, kind_of(s.value).value, s.source_id, "deleted")
            for i, s in self.entities.items()
            if s.collection_id == request.collection_id
            and s.label is not None
            and s.label == request.source
            and s.source_id is not None
            and s.source_id not in in_file
        ]

    def _answer(
        self,
        file: list[dict[str, Any]],
        new_ids: dict[str, str],
        actions: dict[str, str],
        request: ImportRequest,
    ) -> list[ImportAnswerItem]:
        answered = (
            sorted(file, key=lambda e: kind_of(e) is EntityKind.REPORT)
            if self.dashboards_first_in_answers
            else file
        )
        return [
            ImportAnswerItem(
                "" if request.dry_run else new_ids[e["id"]],
                kind_of(e).value,
                e["id"] if self.boardport else None,
                actions[e["id"]] if (self.boardport and request.overwrite) else None,
            )
            for e in answered
        ]

    def delete(self, kind: EntityKind, entity_id: str) -> bool:
        if self.fail_deletes_after is not None:
            if self.fail_deletes_after == 0:
                raise ServerUnreachable("the target went away mid-prune")
            self.fail_deletes_after -= 1
        stored = self.entities.get(entity_id)
        if stored is None or kind_of(stored.value) is not kind:
            return False
        self._remove(entity_id)
        return True

    def _remove(self, entity_id: str) -> None:
        stored = self.entities.pop(entity_id)
        if kind_of(stored.value) is EntityKind.REPORT:
            for other in self.entities.values():
                if "tiles" in other.value:
                    other.value["tiles"] = [
                        t for t in other.value["tiles"] if t.get("id") != entity_id
                    ]

    def definitions(self) -> list[Definition]:
        assert self.server_kind is ServerKind.EARLIER_BOARDPORT, "only asked of an earlier one"
        return list(self.known_definitions)

    def register_definition(self, definition: Definition) -> None:
        assert self.server_kind is ServerKind.EARLIER_BOARDPORT, "only asked of an earlier one"
        self.known_definitions.append(definition)

    def widen_scope(self, collection_id: str, entries: Sequence[ScopeEntry]) -> None:
        self.scopes.setdefault(collection_id, []).extend(entries)

    # -- for tests --------------------------------------------------------------------------
    def holds(self, collection_id: str) -> list[dict[str, Any]]:
        return [s.value for s in self.entities.values() if s.collection_id == collection_id]


def _fingerprint(request: ImportRequest, data: bytes) -> str:
    query = (request.collection_id, request.overwrite, request.prune, request.source)
    return f"{query} {hashlib.sha256(data).hexdigest()}"


def optimize(**options: Any) -> FakeOptimizeServer:
    return FakeOptimizeServer(server_kind=ServerKind.OPTIMIZE, **options)
