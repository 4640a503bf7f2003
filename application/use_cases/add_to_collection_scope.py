from __future__ import annotations

from collections.abc import Sequence

from application.ports.unit_of_work import UnitOfWork
from domain.collection import Collection, ScopeEntry
from domain.errors import BadRequest, NotFound
from domain.limits import InputLimits


class AddToCollectionScope:
    """Adds definitions to what a collection may hold. An entry for a definition already in
    scope widens its tenants; nothing is ever taken out of scope here."""

    def __init__(
        self,
        uow: UnitOfWork,
        limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
    ) -> None:
        self._uow = uow
        self._limits = limits

    def __call__(self, collection_id: str, entries: Sequence[ScopeEntry]) -> Collection:
        longest = self._limits.max_id_length
        for entry in entries:
            names = (entry.key, *(t for t in entry.tenants if t is not None))
            if any(not n.strip() or len(n) > longest for n in names):
                raise BadRequest(
                    f"A scope entry's definition key and each of its tenants must have 1 to "
                    f"{longest} characters (the limit BOARDPORT_MAX_ID_LENGTH); null means no "
                    "tenant."
                )
        with self._uow as uow:
            collection = uow.collections.lock(collection_id)
            if collection is None:
                raise NotFound("collections", [collection_id])
            widened = collection.with_scope(entries)
            uow.collections.save_scope(widened)
            uow.commit()
        return widened
