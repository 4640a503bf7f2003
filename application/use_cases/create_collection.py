from __future__ import annotations

from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from domain.collection import Collection
from domain.errors import BadRequest
from domain.limits import InputLimits

DEFAULT_COLLECTION_NAME = "New Collection"


class CreateCollection:
    def __init__(
        self,
        uow: UnitOfWork,
        ids: IdGenerator,
        clock: Clock,
        limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
    ) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock
        self._limits = limits

    def __call__(self, name: str | None = None, owner_id: str | None = None) -> Collection:
        """A new, empty collection with an empty scope. Without a name it is called
        "New Collection", as in Optimize."""
        chosen = DEFAULT_COLLECTION_NAME if name is None else name.strip()
        longest = self._limits.max_name_length
        if not chosen or len(chosen) > longest:
            raise BadRequest(
                f"A collection name must have 1 to {longest} characters (the limit "
                f"BOARDPORT_MAX_NAME_LENGTH), not {len(chosen)}."
            )
        collection = Collection(self._ids.new_id(), chosen, owner_id, self._clock.now())
        with self._uow as uow:
            uow.collections.add(collection)
            uow.commit()
        return collection
