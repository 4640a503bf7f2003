from __future__ import annotations

from typing import Annotated

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter, RawBody

from application.use_cases.import_entities import ImportEntities
from entrypoints.http.controllers.entity_ids import CollectionId
from entrypoints.http.responses import error_specs
from entrypoints.http.schemas import ImportedEntity
from entrypoints.wire.import_body import decode_import_body

DryRun = Annotated[
    bool,
    QueryParameter(
        name="dryRun",
        description="Run every check and answer what would be created, writing nothing.",
    ),
]


class ImportController(Controller):
    path = "/api/public/import"
    tags = ("Import",)

    @post(
        operation_id="importEntities",
        summary="Import an export file into a collection, all or nothing",
        status_code=200,
        sync_to_thread=True,
        responses=error_specs(
            {
                400: "The file or request is invalid; errorCode says which check failed.",
                401: "The bearer token is missing or wrong, or none is configured.",
                404: "The collection does not exist.",
                409: "The collection's scope does not hold the reports' definitions or tenants.",
            }
        ),
    )
    def import_file(
        self,
        import_entities: NamedDependency[ImportEntities],
        body: RawBody,
        collection_id: CollectionId = None,
        dry_run: DryRun = False,
    ) -> list[ImportedEntity]:
        items = import_entities(collection_id, lambda: decode_import_body(body), dry_run=dry_run)
        return [ImportedEntity(i.id, i.entity_type, i.source_id) for i in items]
