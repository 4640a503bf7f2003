from __future__ import annotations

from dataclasses import dataclass

from application.ports.unit_of_work import ReadingUnitOfWork
from domain.collection import Collection
from domain.dashboard import Dashboard
from domain.errors import NotFound
from domain.report_summary import ReportSummary


@dataclass(frozen=True, slots=True)
class CollectionContents:
    """A collection's dashboards and reports, oldest first; `collection` None for what lies
    outside every collection."""

    collection: Collection | None
    dashboards: tuple[Dashboard, ...]
    reports: tuple[ReportSummary, ...]


class ShowCollection:
    def __init__(self, uow: ReadingUnitOfWork) -> None:
        self._uow = uow

    def __call__(self, collection_id: str | None) -> CollectionContents:
        with self._uow as uow:
            collection = None
            if collection_id is not None:
                collection = uow.collections.get(collection_id)
                if collection is None:
                    raise NotFound("collections", [collection_id])
            dashboard_ids = uow.dashboards.ids_in_collection(collection_id)
            report_ids = uow.reports.ids_in_collection(collection_id)
            dashboards = uow.dashboards.get_many(frozenset(dashboard_ids))
            reports = uow.reports.get_many(frozenset(report_ids))
        return CollectionContents(
            collection,
            tuple(dashboards[i] for i in dashboard_ids if i in dashboards),
            tuple(ReportSummary.of(reports[i]) for i in report_ids if i in reports),
        )
