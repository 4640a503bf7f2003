from __future__ import annotations

from application.ports.unit_of_work import ReadingUnitOfWork
from domain.definition import Definition


class ListDefinitions:
    def __init__(self, uow: ReadingUnitOfWork) -> None:
        self._uow = uow

    def __call__(self) -> list[Definition]:
        with self._uow as uow:
            return uow.definitions.list_all()
