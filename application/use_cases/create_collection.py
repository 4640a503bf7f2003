from __future__ import annotations

from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import WritingUnitOfWork
from domain.collection import Collection, new_collection
from domain.limits import InputLimits


class CreateCollection:
    def __init__(
        self,
        uow: WritingUnitOfWork,
        ids: IdGenerator,
        clock: Clock,
        limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
    ) -> None:
        self._uow = uow
        self._ids = ids
        self._clock = clock
        self._limits = limits

    def __call__(self, name: str | None = None, owner_id: str | None = None) -> Collection:
        """A new, empty collection (see `new_collection` for the rules on its name)."""
        collection = new_collection(
            self._ids.new_id(), name, owner_id, self._clock.now(), self._limits
        )
        with self._uow as uow:
            uow.collections.add(collection)
            uow.commit()
        return collection
