from __future__ import annotations

from dataclasses import dataclass

from application.ports.optimize_server import EntityKind
from application.ports.unit_of_work import ReadingUnitOfWork
from domain.collection import required_collection_id


@dataclass(frozen=True, slots=True)
class EntitySummary:
    id: str
    name: str
    entity_type: str
    """The export's `exportEntityType`: dashboard, single_process_report, ..."""


class ListCollectionEntities:
    """Names, ids and types of the dashboards or reports of a collection in this database,
    oldest first; an unknown collection holds none."""

    def __init__(self, uow: ReadingUnitOfWork) -> None:
        self._uow = uow

    def __call__(self, kind: EntityKind, collection_id: str | None) -> list[EntitySummary]:
        wanted = required_collection_id(collection_id)
        with self._uow as uow:
            if kind is EntityKind.DASHBOARD:
                ids = uow.dashboards.ids_in_collection(wanted)
                dashboards = uow.dashboards.get_many(frozenset(ids))
                return [
                    EntitySummary(i, dashboards[i].name, "dashboard")
                    for i in ids
                    if i in dashboards
                ]
            ids = uow.reports.ids_in_collection(wanted)
            reports = uow.reports.get_many(frozenset(ids))
            return [
                EntitySummary(i, reports[i].name, reports[i].entity_type.value)
                for i in ids
                if i in reports
            ]
