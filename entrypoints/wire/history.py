"""History on the wire (PUBLIC_API.md §4 "History"): the same JSON from the API and the CLI."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import msgspec

from application.use_cases.browse_history import ChangeDetail
from domain.entity_changes import EntityChanges
from domain.history import ChangeEntry, ChangeSummary, RevisionEntry
from entrypoints.wire.import_answer import FieldChange

# Field names are the wire's own camelCase names.
# ruff: noqa: N815


class ChangeCountsOut(msgspec.Struct):
    created: int
    updated: int
    deleted: int


class ChangeOut(msgspec.Struct):
    """One committed write: an import (any mode), a delete or a revert."""

    id: str
    kind: Literal["import", "delete", "revert"]
    at: str
    actor: str
    collectionId: str | None
    counts: ChangeCountsOut

    @classmethod
    def of(cls, change: ChangeSummary) -> ChangeOut:
        counts = change.counts
        return cls(
            change.id,
            change.kind,
            wire_time(change.at),
            change.actor,
            change.collection_id,
            ChangeCountsOut(counts.created, counts.updated, counts.deleted),
        )


class ChangedEntityOut(msgspec.Struct):
    entityType: Literal["report", "dashboard"]
    id: str
    name: str
    action: Literal["created", "updated", "deleted"]
    revisionBefore: int | None
    revisionAfter: int | None

    @classmethod
    def of(cls, entry: ChangeEntry) -> ChangedEntityOut:
        return cls(
            entry.key.entity_type,
            entry.key.id,
            entry.name,
            entry.action,
            entry.revision_before,
            entry.revision_after,
        )


class ChangeDetailOut(ChangeOut):
    """A change with the entities it touched."""

    entities: list[ChangedEntityOut] = msgspec.field(default_factory=list)

    @classmethod
    def of_detail(cls, detail: ChangeDetail) -> ChangeDetailOut:
        head = ChangeOut.of(detail.change)
        return cls(
            head.id,
            head.kind,
            head.at,
            head.actor,
            head.collectionId,
            head.counts,
            [ChangedEntityOut.of(e) for e in detail.entities],
        )


class RevisionOut(msgspec.Struct):
    """One revision of a report or dashboard; `changeId` is null for the content an entity had
    before history knew it."""

    revision: int
    changeId: str | None
    at: str
    actor: str | None
    action: Literal["created", "updated", "deleted"]

    @classmethod
    def of(cls, entry: RevisionEntry) -> RevisionOut:
        return cls(entry.number, entry.change_id, wire_time(entry.at), entry.actor, entry.action)


class RevisionDiffOut(msgspec.Struct, omit_defaults=True):
    """What changed between two revisions, in a dry run's shape."""

    changes: list[FieldChange]
    changesOmitted: int | msgspec.UnsetType = msgspec.UNSET

    @classmethod
    def of(cls, changes: EntityChanges) -> RevisionDiffOut:
        return cls(
            [FieldChange.of(c) for c in changes.changes],
            changes.omitted if changes.omitted else msgspec.UNSET,
        )


def wire_time(moment: datetime) -> str:
    """ISO 8601 in UTC, to the millisecond, with a Z."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_ENCODE = msgspec.json.Encoder().encode


def history_json(value: object) -> bytes:
    return _ENCODE(value)
