"""Records a write in history, in the write's own unit of work: every writer collects what it
touched (`Touch`: before and after) and calls `record_change` before it commits, so a change is
committed with the write or not at all. A write that changed nothing records nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from application.ports.history import NewChange
from application.ports.unit_of_work import WritingUnitOfWork
from domain.actor import Actor
from domain.history import ChangeKind, Touch, revisions_for


def record_change(
    uow: WritingUnitOfWork,
    kind: ChangeKind,
    actor: Actor,
    at: datetime,
    *,
    collection_id: str | None,
    touches: Iterable[Touch],
    reverts: str | None = None,
) -> str | None:
    """The ID of the change recorded, or None when nothing changed. The newest revisions are
    read after the write: the rows it changed are held until the commit, so no other writer
    numbers the same entity meanwhile."""
    touched = list(touches)
    if not touched:
        return None
    heads = uow.history.heads({t.key for t in touched})
    revisions = revisions_for(touched, heads)
    if all(r.baseline for r in revisions):
        return None
    return uow.history.record(
        NewChange(kind, at, actor.name, collection_id, revisions, reverts=reverts)
    )
