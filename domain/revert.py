"""Reverting a change (PUBLIC_API.md §4): each entity the change touched goes back to its
revision from before it, refused when a later change left one of them otherwise; a restored
entity comes back where it still can."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domain.errors import BadRequest, DomainError
from domain.history import (
    ChangeEntry,
    EntityKey,
    Origin,
    RevisionHead,
    Stored,
    StoredRevision,
)
from domain.report import Report


@dataclass(frozen=True, slots=True)
class ConflictedEntity:
    key: EntityKey
    name: str
    change_id: str | None


class RevertConflict(DomainError):
    """A later change touched an entity that the revert would restore: restoring it would undo
    that change too. `force` restores anyway."""

    def __init__(self, change_id: str, conflicts: Sequence[ConflictedEntity]) -> None:
        self.conflicts = tuple(conflicts)
        named = "; ".join(
            f'{c.key.entity_type} "{c.key.id}" ("{c.name}") was changed later by change '
            f"{c.change_id}"
            for c in self.conflicts
        )
        super().__init__(
            f"Change {change_id} cannot be reverted without undoing later changes: {named}. "
            "Revert those first, or send force=true to restore these entities anyway."
        )


@dataclass(frozen=True, slots=True)
class Restoration:
    """What a revert brings one entity back to: `entity` None means it is to be gone."""

    key: EntityKey
    entity: Stored | None
    origin: Origin | None = None


def plan_revert(
    change_id: str,
    entries: Sequence[ChangeEntry],
    heads: Mapping[EntityKey, RevisionHead],
    revisions: Mapping[tuple[EntityKey, int], StoredRevision],
    *,
    force: bool = False,
) -> list[Restoration]:
    """Each entity of the change back to its revision before the change: gone when it did not
    exist then, or when that revision marks a delete. Refused (`RevertConflict`) when a later
    change left one of them other than the change did, unless `force`: a later change that was
    itself reverted left it as it was, so changes can be reverted newest first. `revisions`
    holds each entry's revisions before and after, and the newest of each moved entity."""
    if not force:
        conflicts = [
            ConflictedEntity(e.key, e.name, heads[e.key].change_id)
            for e in entries
            if _moved_on(e, heads.get(e.key), revisions)
        ]
        if conflicts:
            raise RevertConflict(change_id, conflicts)
    _refuse_forgotten(change_id, entries, revisions)
    restorations: list[Restoration] = []
    for entry in entries:
        earlier = (
            None
            if entry.revision_before is None
            else revisions.get((entry.key, entry.revision_before))
        )
        if earlier is None or earlier.deleted:
            restorations.append(Restoration(entry.key, None))
        else:
            restorations.append(Restoration(entry.key, earlier.entity, earlier.origin))
    return restorations


def _refuse_forgotten(
    change_id: str,
    entries: Sequence[ChangeEntry],
    revisions: Mapping[tuple[EntityKey, int], StoredRevision],
) -> None:
    """A revision to restore that retention dropped is not "nothing": refuse, never delete."""
    forgotten = [
        e
        for e in entries
        if e.revision_before is not None and (e.key, e.revision_before) not in revisions
    ]
    if forgotten:
        named = ", ".join(
            f'revision {e.revision_before} of {e.key.entity_type} "{e.key.id}"' for e in forgotten
        )
        raise BadRequest(
            f"Change {change_id} cannot be reverted: {named}, which it would restore, is no "
            "longer kept (history older than BOARDPORT_HISTORY_DAYS is dropped)."
        )


def _moved_on(
    entry: ChangeEntry,
    head: RevisionHead | None,
    revisions: Mapping[tuple[EntityKey, int], StoredRevision],
) -> bool:
    """Whether the entity is now other than the change left it."""
    if head is None or head.number == entry.revision_after:
        return False
    left = revisions.get((entry.key, entry.revision_after))
    now = revisions.get((entry.key, head.number))
    if left is None or now is None:
        return True
    if left.deleted or now.deleted:
        return left.deleted != now.deleted
    return left.entity != now.entity


def fitted_to(entity: Stored, existing_reports: frozenset[str]) -> Stored:
    """The restored entity without the places that point at reports that do not exist after the
    revert (a tile, or a combined report's child): it comes back where it still can."""
    if isinstance(entity, Report):
        for child in entity.child_ids:
            if child not in existing_reports:
                entity = entity.without_child(child)
        return entity
    return entity.without_reports(frozenset(entity.report_ids()) - existing_reports)
