from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from application.use_cases.list_dashboard_ids import ListDashboardIds
from application.use_cases.list_report_ids import ListReportIds
from entrypoints.http.responses import api_error_specs
from entrypoints.http.schemas import EntityId

CollectionId = Annotated[
    str | None,
    QueryParameter(name="collectionId", description="The collection whose entities to list."),
]

_ERRORS = api_error_specs({400: "No collectionId was given, or it holds a NUL character."})


class EntityIdController(Controller):
    path = "/api/public"
    tags = ("Entities",)

    @get(
        "/dashboard",
        operation_id="listDashboardIds",
        summary="IDs of the dashboards in a collection",
        sync_to_thread=True,
        responses=_ERRORS,
    )
    def dashboards(
        self,
        list_dashboard_ids: NamedDependency[ListDashboardIds],
        collection_id: CollectionId = None,
    ) -> list[EntityId]:
        return [EntityId(id=i) for i in list_dashboard_ids(collection_id)]

    @get(
        "/report",
        operation_id="listReportIds",
        summary="IDs of the reports in a collection",
        sync_to_thread=True,
        responses=_ERRORS,
    )
    def reports(
        self, list_report_ids: NamedDependency[ListReportIds], collection_id: CollectionId = None
    ) -> list[EntityId]:
        return [EntityId(id=i) for i in list_report_ids(collection_id)]
