"""Whether an import whose answer was lost landed, on a target that cannot be asked again
safely (an Optimize, or a boardport with --new-copies): the collection is listed before the
import and after the loss, and what appeared is compared with the file."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from application.outgoing_file import OutgoingFile
from application.ports.optimize_server import EntityKind, ImportAnswerItem, OptimizeServer
from domain.json_document import JsonValue

Listing = frozenset[tuple[EntityKind, str]]


def listing(target: OptimizeServer, collection_id: str) -> Listing:
    """Every (kind, id) of the collection."""
    return frozenset(
        (kind, entity_id)
        for kind in EntityKind
        for entity_id in target.list_ids(kind, collection_id)
    )


def landed(
    target: OptimizeServer, collection_id: str, before: Listing, outgoing: OutgoingFile
) -> tuple[ImportAnswerItem, ...] | None:
    """The entities the import created, when those that appeared since `before` match the file
    (the same number of each type, the same names); None when they do not, or none appeared
    (the target may still be importing)."""
    appeared = listing(target, collection_id) - before
    if not appeared:
        return None
    found = _named(target, appeared)
    wanted = _file_entities(outgoing.entities())
    if Counter(found.values()) != Counter(kind_and_name for kind_and_name, _ in wanted):
        return None
    sources: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for kind_and_name, source_id in wanted:
        sources[kind_and_name].append(source_id)
    return tuple(
        ImportAnswerItem(
            entity_id,
            kind_and_name[0],
            sources[kind_and_name][0] if len(sources[kind_and_name]) == 1 else None,
        )
        for entity_id, kind_and_name in sorted(found.items())
    )


def _named(
    target: OptimizeServer, appeared: Iterable[tuple[EntityKind, str]]
) -> dict[str, tuple[str, str]]:
    """Each id that appeared, with its kind and name as the target exports it."""
    found: dict[str, tuple[str, str]] = {}
    for kind in EntityKind:
        ids = sorted(i for k, i in appeared if k is kind)
        if not ids:
            continue
        for entity in target.export(kind, ids):
            if isinstance(entity, dict) and entity.get("id") in ids:
                found[str(entity["id"])] = (kind.value, str(entity.get("name", "")))
    return found


def _file_entities(entities: list[JsonValue]) -> list[tuple[tuple[str, str], str]]:
    """((kind, name), source id) of each entity of the file."""
    return [
        (
            (
                EntityKind.DASHBOARD.value
                if e.get("exportEntityType") == "dashboard"
                else EntityKind.REPORT.value,
                str(e.get("name", "")),
            ),
            str(e.get("id")),
        )
        for e in entities
        if isinstance(e, dict)
    ]
