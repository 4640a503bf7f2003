from __future__ import annotations

from application.ports.unit_of_work import ReadingUnitOfWork
from domain.collection import Collection


class ListCollections:
    def __init__(self, uow: ReadingUnitOfWork) -> None:
        self._uow = uow

    def __call__(self) -> list[Collection]:
        with self._uow as uow:
            return uow.collections.list_all()
