from __future__ import annotations

from application.ports.unit_of_work import ReadingUnitOfWork
from domain.collection import Collection
from domain.errors import NotFound


class GetCollection:
    def __init__(self, uow: ReadingUnitOfWork) -> None:
        self._uow = uow

    def __call__(self, collection_id: str) -> Collection:
        with self._uow as uow:
            collection = uow.collections.get(collection_id)
        if collection is None:
            raise NotFound("collections", [collection_id])
        return collection
