from __future__ import annotations

from dataclasses import dataclass

from application.ports.unit_of_work import ReadingUnitOfWork


@dataclass(frozen=True, slots=True)
class CollectionCount:
    """A collection with how many dashboards and reports it holds; `id` None stands for the
    entities outside every collection."""

    id: str | None
    name: str
    dashboards: int
    reports: int


class BrowseCollections:
    """Every collection, oldest first, with its counts, then what lies outside any collection
    (when there is something)."""

    def __init__(self, uow: ReadingUnitOfWork) -> None:
        self._uow = uow

    def __call__(self) -> list[CollectionCount]:
        with self._uow as uow:
            counts = [
                CollectionCount(
                    c.id,
                    c.name,
                    len(uow.dashboards.ids_in_collection(c.id)),
                    len(uow.reports.ids_in_collection(c.id)),
                )
                for c in uow.collections.list_all()
            ]
            outside = CollectionCount(
                None,
                "Outside any collection",
                len(uow.dashboards.ids_in_collection(None)),
                len(uow.reports.ids_in_collection(None)),
            )
        if outside.dashboards or outside.reports:
            counts.append(outside)
        return counts
