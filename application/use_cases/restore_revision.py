from __future__ import annotations

from dataclasses import dataclass

from application.history_recording import record_change
from application.ports.clock import Clock
from application.ports.unit_of_work import WritingUnitOfWork
from application.restoration import restore_entities, restored_items
from domain.actor import Actor
from domain.errors import NotFound
from domain.history import EntityKey
from domain.import_plan import ImportedItem
from domain.revert import Restoration


@dataclass(frozen=True, slots=True)
class RestoredRevision:
    """What a restore did: the entity's item, as an import answers it (`unchanged` when it
    already had that content), and the change recorded (None when nothing changed)."""

    item: ImportedItem
    change_id: str | None


class RestoreRevision:
    """Brings one report or dashboard back to the content of one of its revisions, in one
    transaction, recorded as a change of kind `revert` by `actor` (a change of its own, which
    can itself be reverted). A deleted entity comes back with its ID and the origin it had; a
    revision that marks a delete holds what was deleted, so restoring it brings that back.

    Only this entity is written: its tiles, or a combined report's children, that point at
    reports which do not exist now are left out (`fitted_to`), and the dashboards that showed a
    deleted report do not get it back (reverting the delete's change does that)."""

    def __init__(self, uow: WritingUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, key: EntityKey, number: int, *, actor: Actor) -> RestoredRevision:
        with self._uow as uow:
            revision = uow.history.revision(key, number)
            if revision is None:
                if not uow.history.revisions(key):
                    raise NotFound(f"{key.entity_type}s", [key.id])
                raise NotFound(f"revisions of {key.entity_type} {key.id}", [str(number)])
            collection_id = revision.entity.collection_id
            if collection_id is not None:
                uow.collections.lock(collection_id)
            held = uow.reports.lock([key.id]) if key.entity_type == "report" else {}
            head = uow.history.heads([key]).get(key)
            deleted_origin = {} if head is None or head.origin is None else {key: head.origin}
            restoration = Restoration(key, revision.entity, revision.origin)
            touches = restore_entities(uow, [restoration], deleted_origin, held)
            change_id = record_change(
                uow,
                "revert",
                actor,
                self._clock.now(),
                collection_id=collection_id,
                touches=touches,
            )
            uow.commit()
        (item,) = restored_items([restoration], touches)
        return RestoredRevision(item, change_id)
