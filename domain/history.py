"""History: every committed write is a change, and every report and dashboard it changed gets a
revision, its whole content after the change, numbered 1, 2, ... per entity. A delete makes a
last revision marked deleted (holding what was deleted). A revert undoes one change by bringing
each of its entities back to the revision it had before, and is a change of its own.

The rules here are pure: which revisions a write makes, and what a revert restores or refuses.
Storage keeps them (`application/ports/history.py`), the application collects what a write
touched (`application/history_recording.py`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from domain.dashboard import Dashboard
from domain.errors import DomainError
from domain.report import Report

ChangeKind = Literal["import", "delete", "revert"]
RevisionAction = Literal["created", "updated", "deleted"]
HistoryEntityType = Literal["report", "dashboard"]
Stored = Report | Dashboard


@dataclass(frozen=True, slots=True, order=True)
class EntityKey:
    """A report or a dashboard, by type and ID (history keeps both kinds apart)."""

    entity_type: HistoryEntityType
    id: str

    @classmethod
    def of(cls, entity: Stored) -> EntityKey:
        return cls("report" if isinstance(entity, Report) else "dashboard", entity.id)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an entity was imported from (its ID in the file and the import's `source` label),
    kept with its revisions so that a restored entity is matched by the next converging push."""

    source_id: str
    label: str


@dataclass(frozen=True, slots=True)
class Touch:
    """One entity a write changed: what it was before (None: it did not exist) and after (None:
    it was deleted)."""

    before: Stored | None
    after: Stored | None
    origin: Origin | None = None

    def __post_init__(self) -> None:
        if self.before is None and self.after is None:
            raise ValueError("a touch changes an entity that exists on at least one side")

    @property
    def key(self) -> EntityKey:
        entity = self.after if self.after is not None else self.before
        assert entity is not None  # noqa: S101 - __post_init__ holds it
        return EntityKey.of(entity)


@dataclass(frozen=True, slots=True)
class RevisionHead:
    """An entity's newest revision: its number, the change that made it (None for a baseline,
    the revision of an entity that predates history), and whether it marks a delete."""

    number: int
    change_id: str | None
    deleted: bool
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class NewRevision:
    """A revision to be stored. `entity` is the content (for a delete, what was deleted);
    `baseline` marks the revision of an entity's content from before history knew it, which
    belongs to no change."""

    key: EntityKey
    number: int
    action: RevisionAction
    entity: Stored
    origin: Origin | None = None
    baseline: bool = False


@dataclass(frozen=True, slots=True)
class ChangeCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.deleted


def revisions_for(
    touches: Iterable[Touch], heads: Mapping[EntityKey, RevisionHead]
) -> list[NewRevision]:
    """The revisions a write makes: one per touched entity whose content changed, numbered on
    from its newest revision. An entity that existed before history knew it first gets its
    earlier content as a baseline revision, so that a revert has something to go back to.
    An entity touched twice by one write (a report updated, then deleted) counts once, from
    its first `before` to its last `after`. An origin not given is the newest revision's: it
    stays with the entity until an import gives it another."""
    merged: dict[EntityKey, Touch] = {}
    for touch in touches:
        first = merged.get(touch.key)
        merged[touch.key] = (
            touch if first is None else Touch(first.before, touch.after, touch.origin)
        )
    revisions: list[NewRevision] = []
    for key, touch in merged.items():
        if touch.before == touch.after:
            continue  # written again as it was: nothing changed
        head = heads.get(key)
        number = 0 if head is None else head.number
        origin = touch.origin or (None if head is None else head.origin)
        if touch.before is not None and (head is None or head.deleted):
            number += 1
            revisions.append(NewRevision(key, number, "created", touch.before, baseline=True))
        number += 1
        if touch.after is None:
            assert touch.before is not None  # noqa: S101 - a touch has a side
            revisions.append(NewRevision(key, number, "deleted", touch.before, origin))
        else:
            action: RevisionAction = "created" if touch.before is None else "updated"
            revisions.append(NewRevision(key, number, action, touch.after, origin))
    return revisions


def counts_of(revisions: Iterable[NewRevision]) -> ChangeCounts:
    actions = [r.action for r in revisions if not r.baseline]
    return ChangeCounts(
        actions.count("created"), actions.count("updated"), actions.count("deleted")
    )


@dataclass(frozen=True, slots=True)
class ChangeSummary:
    """A change as the listing shows it."""

    id: str
    kind: ChangeKind
    at: datetime
    actor: str
    collection_id: str | None
    counts: ChangeCounts


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    """One entity of a change: what the change did to it, and its revisions around it
    (`revision_before` None: it did not exist before; `revision_after` is the delete's marked
    revision when it was deleted)."""

    key: EntityKey
    name: str
    action: RevisionAction
    revision_before: int | None
    revision_after: int


@dataclass(frozen=True, slots=True)
class RevisionEntry:
    """One revision of an entity, as its listing shows it."""

    number: int
    change_id: str | None
    at: datetime
    actor: str | None
    action: RevisionAction


@dataclass(frozen=True, slots=True)
class StoredRevision:
    """A revision's content: the entity as it was, whether the revision marks a delete, and the
    entity's origin then."""

    entity: Stored
    deleted: bool
    origin: Origin | None = None


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
