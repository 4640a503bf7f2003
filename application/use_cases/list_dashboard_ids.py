from __future__ import annotations

from application.ports.unit_of_work import ReadingUnitOfWork
from domain.collection import required_collection_id


class ListDashboardIds:
    """IDs of the dashboards in a collection; an unknown collection holds none."""

    def __init__(self, uow: ReadingUnitOfWork) -> None:
        self._uow = uow

    def __call__(self, collection_id: str | None) -> list[str]:
        wanted = required_collection_id(collection_id)
        with self._uow as uow:
            return uow.dashboards.ids_in_collection(wanted)
