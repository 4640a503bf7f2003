from __future__ import annotations

from collections.abc import Sequence

from application.ports.unit_of_work import WritingUnitOfWork
from domain.collection import Collection, ScopeEntry, checked_scope
from domain.errors import NotFound
from domain.limits import InputLimits


class AddToCollectionScope:
    """Adds definitions to what a collection may hold. An entry for a definition already in
    scope widens its tenants; nothing is ever taken out of scope here."""

    def __init__(
        self,
        uow: WritingUnitOfWork,
        limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
    ) -> None:
        self._uow = uow
        self._limits = limits

    def __call__(self, collection_id: str, entries: Sequence[ScopeEntry]) -> Collection:
        added = checked_scope(entries, self._limits)
        with self._uow as uow:
            collection = uow.collections.lock(collection_id)
            if collection is None:
                raise NotFound("collections", [collection_id])
            widened = collection.with_scope(added)
            uow.collections.save_scope(widened)
            uow.commit()
        return widened
