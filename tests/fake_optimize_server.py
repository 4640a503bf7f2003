"""An in-memory server that keeps the Optimize contract, for the client's use-case tests: it
stores entities as export JSON, exports closed under references, imports all or nothing under
new ids, and can act as a boardport (definitions, scope, dryRun, overwrite) or as an Optimize."""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from application.ports.optimize_server import (
    EntityKind,
    ImportBody,
    ImportAnswerItem,
    OptimizeServer,
    ServerRefused,
)
from domain.collection import ScopeEntry
from domain.definition import Definition, DefinitionType
from domain.json_document import JsonValue


@dataclass
class StoredEntity:
    value: dict[str, Any]
    collection_id: str
    source_id: str | None = None


@dataclass
class FakeOptimizeServer(OptimizeServer):
    url: str = "http://fake.invalid"
    boardport: bool = True
    index_versions: dict[str, int] = field(
        default_factory=lambda: {
            "single_process_report": 11,
            "single_decision_report": 10,
            "combined_report": 5,
            "dashboard": 8,
        }
    )
    check_definitions: bool = True
    entities: dict[str, StoredEntity] = field(default_factory=dict)
    known_definitions: list[Definition] = field(default_factory=list)
    scopes: dict[str, list[ScopeEntry]] = field(default_factory=dict)
    export_batches: list[int] = field(default_factory=list)
    imports: list[dict[str, Any]] = field(default_factory=list)
    refuse_imports: list[ServerRefused] = field(default_factory=list)
    dashboards_first_in_answers: bool = False
    _ids: Iterable[int] = field(default_factory=lambda: itertools.count(1000))

    # -- the port ---------------------------------------------------------------------------
    def is_boardport(self) -> bool:
        return self.boardport

    def list_ids(self, kind: EntityKind, collection_id: str) -> list[str]:
        return [
            i
            for i, e in self.entities.items()
            if e.collection_id == collection_id and _kind(e.value) is kind
        ]

    def export(self, kind: EntityKind, ids: Sequence[str]) -> list[Any]:
        self.export_batches.append(len(ids))
        missing = [
            i for i in ids if i not in self.entities or _kind(self.entities[i].value) is not kind
        ]
        if missing:
            raise ServerRefused(
                404,
                "notFoundError",
                f"Could not find {kind.value}s with IDs [{', '.join(missing)}]",
            )
        reports: list[str] = []

        def add_report(report_id: str) -> None:
            if report_id in reports:
                return
            reports.append(report_id)
            for child in _children(self.entities[report_id].value):
                add_report(child)

        dashboards = list(dict.fromkeys(ids)) if kind is EntityKind.DASHBOARD else []
        for dashboard_id in dashboards:
            for tile in self.entities[dashboard_id].value.get("tiles", []):
                if tile.get("type") == "optimize_report" and tile.get("id"):
                    add_report(tile["id"])
        if kind is EntityKind.REPORT:
            for report_id in ids:
                add_report(report_id)
        return [self._exported(i) for i in [*reports, *dashboards]]

    def _exported(self, entity_id: str) -> dict[str, Any]:
        stored = self.entities[entity_id]
        value = copy.deepcopy(stored.value)
        value["collectionId"] = stored.collection_id
        value["sourceIndexVersion"] = self.index_versions[value["exportEntityType"]]
        return value

    def import_file(
        self, collection_id: str, body: ImportBody, *, dry_run: bool, overwrite: bool
    ) -> list[ImportAnswerItem]:
        if (dry_run or overwrite) and not self.boardport:
            raise AssertionError("the client asked an Optimize for a boardport extension")
        file = json.loads(b"".join(body.chunks()))
        self.imports.append({"collection": collection_id, "file": file, "dryRun": dry_run})
        if self.refuse_imports:
            raise self.refuse_imports.pop(0)
        self._check(collection_id, file)
        if dry_run:
            return [
                ImportAnswerItem("", _entity_type(e), e["id"] if self.boardport else None)
                for e in file
            ]
        new_ids: dict[str, str] = {}
        actions: dict[str, str] = {}
        for entity in file:
            earlier = [
                i
                for i, s in self.entities.items()
                if overwrite and s.collection_id == collection_id and s.source_id == entity["id"]
            ]
            new_ids[entity["id"]] = earlier[0] if earlier else f"new-{next(iter(self._ids))}"
            actions[entity["id"]] = "updated" if earlier else "created"
        for entity in file:
            value = _remapped(entity, new_ids)
            target_id = new_ids[entity["id"]]
            if actions[entity["id"]] == "updated":
                before = self.entities[target_id].value
                if _comparable(before) == _comparable(value):
                    actions[entity["id"]] = "unchanged"
            self.entities[target_id] = StoredEntity(value, collection_id, entity["id"])
        answered = (
            sorted(file, key=lambda e: _kind(e) is EntityKind.REPORT)
            if (self.dashboards_first_in_answers)
            else file
        )
        return [
            ImportAnswerItem(
                new_ids[e["id"]],
                _entity_type(e),
                e["id"] if self.boardport else None,
                actions[e["id"]] if (self.boardport and overwrite) else None,
            )
            for e in answered
        ]

    def _check(self, collection_id: str, file: list[dict[str, Any]]) -> None:
        mismatching: list[JsonValue] = [
            {
                "indexName": f"optimize-{e['exportEntityType'].replace('_', '-')}",
                "sourceIndexVersion": e.get("sourceIndexVersion"),
                "targetIndexVersion": self.index_versions[e["exportEntityType"]],
            }
            for e in file
            if e.get("sourceIndexVersion") != self.index_versions[e["exportEntityType"]]
        ]
        if mismatching:
            raise ServerRefused(
                400,
                "importIndexVersionMismatch",
                "Could not import because source and target index versions do not match",
                {"mismatchingIndices": mismatching},
            )
        if not self.check_definitions:
            return
        known = {(d.type.value, d.key) for d in self.known_definitions}
        missing = sorted(
            {
                (_definition_type(e), d["key"])
                for e in file
                for d in e.get("data", {}).get("definitions", []) or []
                if "definitions" in e.get("data", {})
            }
            - known
        )
        if missing:
            raise ServerRefused(
                400,
                "importDefinitionDoesNotExist",
                "Could not find the required definitions",
                {"definitions": [{"type": t, "key": k} for t, k in missing]},
            )
        scope = {(s.definition_type.value, s.key) for s in self.scopes.get(collection_id, [])}
        if self.boardport and not {(t, k) for t, k in self._refs(file)} <= scope:
            raise ServerRefused(409, "nonDefinitionScopeCompliantConflict", "not in scope")

    def _refs(self, file: list[dict[str, Any]]) -> set[tuple[str, str]]:
        return {
            (_definition_type(e), d["key"])
            for e in file
            for d in e.get("data", {}).get("definitions", []) or []
        }

    def delete(self, kind: EntityKind, entity_id: str) -> bool:
        stored = self.entities.get(entity_id)
        if stored is None or _kind(stored.value) is not kind:
            return False
        del self.entities[entity_id]
        if kind is EntityKind.REPORT:
            for other in self.entities.values():
                if "tiles" in other.value:
                    other.value["tiles"] = [
                        t for t in other.value["tiles"] if t.get("id") != entity_id
                    ]
        return True

    def definitions(self) -> list[Definition]:
        assert self.boardport, "only a boardport lists definitions"
        return list(self.known_definitions)

    def register_definition(self, definition: Definition) -> None:
        assert self.boardport, "only a boardport registers definitions"
        self.known_definitions.append(definition)

    def widen_scope(self, collection_id: str, entries: Sequence[ScopeEntry]) -> None:
        self.scopes.setdefault(collection_id, []).extend(entries)

    # -- for tests --------------------------------------------------------------------------
    def holds(self, collection_id: str) -> list[dict[str, Any]]:
        return [s.value for s in self.entities.values() if s.collection_id == collection_id]


def _kind(value: dict[str, Any]) -> EntityKind:
    return EntityKind.DASHBOARD if value["exportEntityType"] == "dashboard" else EntityKind.REPORT


def _entity_type(value: dict[str, Any]) -> str:
    return _kind(value).value


def _definition_type(value: dict[str, Any]) -> str:
    kind = value["exportEntityType"]
    return DefinitionType.DECISION.value if "decision" in kind else DefinitionType.PROCESS.value


def _children(value: dict[str, Any]) -> list[str]:
    if value["exportEntityType"] != "combined_report":
        return []
    return [r["id"] for r in value.get("data", {}).get("reports", [])]


def _remapped(entity: dict[str, Any], new_ids: dict[str, str]) -> dict[str, Any]:
    value = copy.deepcopy(entity)
    value["id"] = new_ids[entity["id"]]
    for tile in value.get("tiles", []):
        if tile.get("type") == "optimize_report" and tile.get("id") in new_ids:
            tile["id"] = new_ids[tile["id"]]
    for child in (
        value.get("data", {}).get("reports", [])
        if value["exportEntityType"] == "combined_report"
        else []
    ):
        child["id"] = new_ids.get(child["id"], child["id"])
    return value


def _comparable(value: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k not in {"id", "collectionId", "sourceIndexVersion"}}
