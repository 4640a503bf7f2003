from __future__ import annotations

from collections.abc import Sequence

from application.ports.unit_of_work import UnitOfWork
from domain.collection import Collection, ScopeEntry
from domain.errors import NotFound


class AddToCollectionScope:
    """Adds definitions to what a collection may hold. An entry for a definition already in
    scope widens its tenants; nothing is ever taken out of scope here."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, collection_id: str, entries: Sequence[ScopeEntry]) -> Collection:
        with self._uow as uow:
            collection = uow.collections.get(collection_id)
            if collection is None:
                raise NotFound("collections", [collection_id])
            widened = collection.with_scope(entries)
            uow.collections.save_scope(widened)
            uow.commit()
        return widened
