from __future__ import annotations

from dataclasses import dataclass

from application.ports.unit_of_work import ReadingUnitOfWork
from domain.entity_changes import EntityChanges, changes_between
from domain.errors import BadRequest, NotFound
from domain.export_format.writer import current_value
from domain.history import ChangeEntry, ChangeSummary, EntityKey, RevisionEntry, StoredRevision

MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class ChangeDetail:
    change: ChangeSummary
    entities: tuple[ChangeEntry, ...]


def _plural(key: EntityKey) -> str:
    return f"{key.entity_type}s"


class BrowseHistory:
    """Reads history: changes newest first, one change with its entities, an entity's
    revisions (a deleted one's too), one revision's content, and what changed between two."""

    def __init__(self, uow: ReadingUnitOfWork) -> None:
        self._uow = uow

    def changes(
        self, collection_id: str | None = None, limit: int = 50, before: str | None = None
    ) -> list[ChangeSummary]:
        if not 1 <= limit <= MAX_LIMIT:
            raise BadRequest(f"limit must be between 1 and {MAX_LIMIT}; it is {limit}.")
        with self._uow as uow:
            return uow.history.changes(collection_id, limit, before)

    def change(self, change_id: str) -> ChangeDetail:
        with self._uow as uow:
            change = uow.history.change(change_id)
            if change is None:
                raise NotFound("changes", [change_id])
            return ChangeDetail(change, tuple(uow.history.entries(change_id)))

    def revisions(self, key: EntityKey) -> list[RevisionEntry]:
        """404 only for an ID history never saw."""
        with self._uow as uow:
            revisions = uow.history.revisions(key)
        if not revisions:
            raise NotFound(_plural(key), [key.id])
        return revisions

    def revision(self, key: EntityKey, number: int) -> StoredRevision:
        with self._uow as uow:
            found = uow.history.revision(key, number)
            if found is None:
                self._missing(uow, key, number)
        assert found is not None  # noqa: S101 - _missing raised
        return found

    def diff(self, key: EntityKey, number: int, to: int | None = None) -> EntityChanges:
        """What changed from revision `number` to `to` (the newest when None), in the dry run's
        shape."""
        with self._uow as uow:
            if to is None:
                head = uow.history.heads([key]).get(key)
                if head is None:
                    raise NotFound(_plural(key), [key.id])
                to = head.number
            found = uow.history.revisions_of([(key, number), (key, to)])
            for n in (number, to):
                if (key, n) not in found:
                    self._missing(uow, key, n)
        return changes_between(
            current_value(found[(key, number)].entity), current_value(found[(key, to)].entity)
        )

    @staticmethod
    def _missing(uow: ReadingUnitOfWork, key: EntityKey, number: int) -> None:
        if not uow.history.revisions(key):
            raise NotFound(_plural(key), [key.id])
        raise NotFound(f"revisions of {key.entity_type} {key.id}", [str(number)])
