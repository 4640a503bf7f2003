"""The fake server's import checks (PUBLIC_API.md §4, check 6 as far as the client's tests
need it) and the rewriting of ids of an imported entity."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from application.ports.optimize_server import EntityKind, ServerRefused
from domain.collection import ScopeEntry
from domain.definition import Definition, DefinitionType
from domain.json_document import JsonValue

if TYPE_CHECKING:
    from tests.fake_optimize_server import FakeOptimizeServer


def check_file(
    server: FakeOptimizeServer,
    collection_id: str,
    file: list[dict[str, Any]],
    prepared: tuple[list[Definition], list[ScopeEntry]],
) -> None:
    """Index versions, then definitions known, then in the collection's scope; `prepared`:
    what the import's own preparation adds (in a dry run, only for this check)."""
    mismatching: list[JsonValue] = [
        {
            "indexName": f"optimize-{e['exportEntityType'].replace('_', '-')}",
            "sourceIndexVersion": e.get("sourceIndexVersion"),
            "targetIndexVersion": server.index_versions[e["exportEntityType"]],
        }
        for e in file
        if e.get("sourceIndexVersion") != server.index_versions[e["exportEntityType"]]
    ]
    if mismatching:
        raise ServerRefused(
            400,
            "importIndexVersionMismatch",
            "Could not import because source and target index versions do not match",
            {"mismatchingIndices": mismatching},
        )
    if not server.check_definitions:
        return
    definitions, scope = prepared
    known = {(d.type.value, d.key) for d in [*server.known_definitions, *definitions]}
    missing = sorted(_references(file) - known)
    if missing:
        raise ServerRefused(
            400,
            "importDefinitionDoesNotExist",
            "Could not find the required definitions",
            {"definitions": [{"type": t, "key": k} for t, k in missing]},
        )
    in_scope = [*server.scopes.get(collection_id, []), *scope]
    keys = {(s.definition_type.value, s.key) for s in in_scope}
    if server.boardport and not _references(file) <= keys:
        raise ServerRefused(409, "nonDefinitionScopeCompliantConflict", "not in scope")


def _references(file: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {
        (_definition_type(e), d["key"])
        for e in file
        for d in e.get("data", {}).get("definitions", []) or []
    }


def kind_of(value: dict[str, Any]) -> EntityKind:
    return EntityKind.DASHBOARD if value["exportEntityType"] == "dashboard" else EntityKind.REPORT


def _definition_type(value: dict[str, Any]) -> str:
    kind = value["exportEntityType"]
    return DefinitionType.DECISION.value if "decision" in kind else DefinitionType.PROCESS.value


def remapped(entity: dict[str, Any], new_ids: dict[str, str]) -> dict[str, Any]:
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


def same_content(before: dict[str, Any], after: dict[str, Any]) -> bool:
    ignored = {"id", "collectionId", "sourceIndexVersion"}
    return {k: v for k, v in before.items() if k not in ignored} == {
        k: v for k, v in after.items() if k not in ignored
    }
