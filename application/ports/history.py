"""Where changes and revisions are kept (`domain/history.py` says what they are). The writer is
part of the writing unit of work, so a change is committed with the write it records, or not at
all."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.history import (
    ChangeEntry,
    ChangeKind,
    ChangeSummary,
    EntityKey,
    NewRevision,
    RevisionEntry,
    RevisionHead,
    StoredRevision,
)


@dataclass(frozen=True, slots=True)
class NewChange:
    """A change to be recorded, with the revisions it makes."""

    kind: ChangeKind
    at: datetime
    actor: str
    collection_id: str | None
    revisions: Sequence[NewRevision]
    reverts: str | None = None
    """The change a revert undid."""


class HistoryReader(Protocol):
    def changes(
        self, collection_id: str | None, limit: int, before: str | None = None
    ) -> list[ChangeSummary]:
        """Newest first, at most `limit`, older than the change `before` when given; every
        collection's when `collection_id` is None."""
        ...

    def change(self, change_id: str) -> ChangeSummary | None: ...

    def entries(self, change_id: str) -> list[ChangeEntry]:
        """The entities the change touched, reports first, each once."""
        ...

    def revisions(self, key: EntityKey) -> list[RevisionEntry]:
        """The entity's revisions, newest first; empty for an entity history never saw."""
        ...

    def revision(self, key: EntityKey, number: int) -> StoredRevision | None: ...

    def revisions_of(
        self, wanted: Collection[tuple[EntityKey, int]]
    ) -> Mapping[tuple[EntityKey, int], StoredRevision]:
        """Several revisions at once, by entity and number; those that do not exist are absent."""
        ...

    def heads(self, keys: Collection[EntityKey]) -> Mapping[EntityKey, RevisionHead]:
        """The newest revision of each entity history knows among `keys`."""
        ...

    def latest_change_at(self, keys: Collection[EntityKey]) -> Mapping[EntityKey, datetime]:
        """When each entity among `keys` last changed, for those history knows."""
        ...


class HistoryRepository(HistoryReader, Protocol):
    def record(self, change: NewChange) -> str:
        """Stores the change and its revisions (each definition XML once, by its hash), in this
        unit of work's transaction, and answers its ID. Number the revisions from `heads` read
        after the write itself: the rows it wrote are held until the commit, so no other writer
        can number the same entity meanwhile."""
        ...

    def forget_before(self, cutoff: datetime) -> int:
        """Drops the changes made before `cutoff` and their revisions, except each entity's
        newest revision; how many changes went."""
        ...
