from __future__ import annotations

from collections.abc import Mapping, Sequence

from application.history_recording import record_change
from application.ports.clock import Clock
from application.ports.unit_of_work import WritingUnitOfWork
from application.restoration import restore_entities, restored_items
from application.use_cases.import_entities import AnswerKeeping
from domain.actor import Actor
from domain.errors import NotFound
from domain.history import ChangeEntry, EntityKey, Origin, RevisionHead, StoredRevision
from domain.import_plan import ImportedItem
from domain.revert import plan_revert


class RevertChange:
    """Undoes one change in one transaction, recorded as a change of kind `revert` by `actor`:
    what it created is deleted, what it updated gets back its revision from before, what it
    deleted comes back with its ID, its origin, and its places on the dashboards and combined
    reports that still exist. Refused when a later change touched one of its entities, unless
    `force` (domain/history.py). A dry run does the same and rolls back, so it answers exactly
    what the revert would do."""

    def __init__(self, uow: WritingUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(
        self,
        change_id: str,
        *,
        actor: Actor,
        dry_run: bool = False,
        force: bool = False,
        keeping: AnswerKeeping | None = None,
    ) -> tuple[ImportedItem, ...]:
        with self._uow as uow:
            if keeping is not None and not dry_run:
                keeping.claim(uow)
            change = uow.history.change(change_id)
            if change is None:
                raise NotFound("changes", [change_id])
            if change.collection_id is not None:
                uow.collections.lock(change.collection_id)
            entries = uow.history.entries(change_id)
            held = uow.reports.lock([e.key.id for e in entries if e.key.entity_type == "report"])
            heads = uow.history.heads({e.key for e in entries})
            revisions, deleted_origins = self._revisions(uow, entries, heads)
            restorations = plan_revert(change_id, entries, heads, revisions, force=force)
            touches = restore_entities(uow, restorations, deleted_origins, held)
            items = restored_items(restorations, touches)
            if dry_run:
                return items
            record_change(
                uow,
                "revert",
                actor,
                self._clock.now(),
                collection_id=change.collection_id,
                touches=touches,
                reverts=change_id,
            )
            if keeping is not None:
                keeping.keep(uow, items)
            uow.commit()
        return items

    @staticmethod
    def _revisions(
        uow: WritingUnitOfWork,
        entries: Sequence[ChangeEntry],
        heads: Mapping[EntityKey, RevisionHead],
    ) -> tuple[Mapping[tuple[EntityKey, int], StoredRevision], dict[EntityKey, Origin]]:
        """Each entry's revisions before and after the change and the newest one, and the
        origin each deleted one had."""
        wanted = {(e.key, e.revision_before) for e in entries if e.revision_before is not None}
        wanted |= {(e.key, e.revision_after) for e in entries}
        wanted |= {(key, head.number) for key, head in heads.items()}
        found = uow.history.revisions_of(wanted)
        origins: dict[EntityKey, Origin] = {}
        for e in entries:
            marked = found.get((e.key, e.revision_after))
            if e.action == "deleted" and marked is not None and marked.origin is not None:
                origins[e.key] = marked.origin
        return found, origins
