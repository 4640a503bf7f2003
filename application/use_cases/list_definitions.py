from __future__ import annotations

from application.ports.unit_of_work import UnitOfWork
from domain.definition import Definition


class ListDefinitions:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self) -> list[Definition]:
        with self._uow as uow:
            return uow.definitions.list_all()
