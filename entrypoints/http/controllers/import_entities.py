from __future__ import annotations

from typing import Annotated

from litestar import Controller, post
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter

from application.use_cases.import_entities import ImportEntities
from entrypoints.http.controllers.entity_ids import CollectionId
from entrypoints.http.controllers.received_body import ReceivedBody, receive_body
from entrypoints.http.openapi import export_file_schema, operation_with_body
from entrypoints.http.request_checks import RAW_BODY
from entrypoints.http.responses import api_error_specs
from entrypoints.runtime import collector_paused
from entrypoints.wire.import_answer import ImportedEntity
from entrypoints.wire.import_body import ImportFileReader

DryRun = Annotated[
    bool,
    QueryParameter(
        name="dryRun",
        description="Run every check and answer what would be created, writing nothing.",
    ),
]

Overwrite = Annotated[
    bool,
    QueryParameter(
        name="overwrite",
        description=(
            "Update entities this collection already holds (imported from the same source ID, "
            "or with that ID) in place instead of creating copies; each item says its action."
        ),
    ),
]


class ImportController(Controller):
    path = "/api/public/import"
    tags = ("Import",)
    dependencies = {"received_body": Provide(receive_body)}  # noqa: RUF012 - Litestar's form

    @post(
        operation_id="importEntities",
        summary="Import an export file into a collection, all or nothing",
        status_code=200,
        sync_to_thread=True,
        opt={RAW_BODY: True},
        operation_class=operation_with_body(
            export_file_schema(),
            "An export file: what the export endpoints answer, or several of them concatenated.",
        ),
        responses=api_error_specs(
            {
                400: "The file or request is invalid; errorCode says which check failed.",
                404: "The collection does not exist.",
                409: (
                    "The collection's scope does not hold the reports' definitions or tenants; "
                    "or, with overwrite, an entity matches a stored one of another type, or two "
                    "match the same one (importOverwriteConflict)."
                ),
                503: "The database failed or is unreachable; nothing was written.",
            },
            with_body=True,
        ),
    )
    def import_file(  # noqa: PLR0917 - Litestar passes the parameters by name
        self,
        import_entities: NamedDependency[ImportEntities],
        read_import_file: NamedDependency[ImportFileReader],
        received_body: NamedDependency[ReceivedBody],
        collection_id: CollectionId = None,
        dry_run: DryRun = False,
        overwrite: Overwrite = False,
    ) -> list[ImportedEntity]:
        with collector_paused():
            items = import_entities(
                collection_id,
                lambda: read_import_file.from_file(received_body.file),
                dry_run=dry_run,
                overwrite=overwrite,
            )
        return [ImportedEntity.of(i) for i in items]
