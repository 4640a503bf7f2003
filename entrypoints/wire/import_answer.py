"""The import's answer on the wire: the same JSON from the API and from the CLI."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import msgspec

from domain.entity_changes import ABSENT, Change
from domain.import_plan import ImportedItem

# Field names are the wire's own camelCase names.
# ruff: noqa: N815


class FieldChange(msgspec.Struct, omit_defaults=True):
    """One field an overwrite would change: its dotted path, and the value before and after
    (a side left out when the field, tile or item is not there on that side; a string over 200
    characters shown as its sha256 and length)."""

    path: str
    before: Any | msgspec.UnsetType = msgspec.UNSET
    after: Any | msgspec.UnsetType = msgspec.UNSET

    @classmethod
    def of(cls, change: Change) -> FieldChange:
        return cls(
            change.path,
            msgspec.UNSET if change.before is ABSENT else change.before,
            msgspec.UNSET if change.after is ABSENT else change.after,
        )


class ImportedEntity(msgspec.Struct, omit_defaults=True):
    """One entity of an import: its new ID (null in a dry run), its kind, its ID in the file;
    with overwrite, also what the import did with it (then the ID of an entity that is
    updated or unchanged is its stored one, in a dry run too; with prune, an entity of the
    collection that is deleted comes after the file's, with the source ID it had). A dry run
    also says which releases' format the entity was read as (`readAsRelease`, e.g. "3.6 to
    3.7" or "3.11 to 8.10"): older ones are migrated to the current format first."""

    id: str | None
    entityType: Literal["report", "dashboard"]
    sourceId: str
    action: Literal["created", "updated", "unchanged", "deleted"] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    readAsRelease: str | msgspec.UnsetType = msgspec.UNSET
    changes: list[FieldChange] | msgspec.UnsetType = msgspec.UNSET
    changesOmitted: int | msgspec.UnsetType = msgspec.UNSET

    @classmethod
    def of(cls, item: ImportedItem) -> ImportedEntity:
        changes = item.changes
        return cls(
            item.id,
            item.entity_type,
            item.source_id,
            msgspec.UNSET if item.action is None else item.action,
            msgspec.UNSET if item.read_as is None else item.read_as,
            msgspec.UNSET if changes is None else [FieldChange.of(c) for c in changes.changes],
            msgspec.UNSET if changes is None or not changes.omitted else changes.omitted,
        )


_ENCODE = msgspec.json.Encoder().encode


def import_answer(items: Iterable[ImportedItem]) -> bytes:
    """The import's answer as the API sends it, byte for byte: what an Idempotency-Key keeps."""
    return _ENCODE([ImportedEntity.of(i) for i in items])
