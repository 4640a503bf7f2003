from __future__ import annotations

import hashlib
from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency, Provide
from litestar.params import HeaderParameter, QueryParameter

from application.use_cases.import_entities import ImportEntities, ImportOptions
from application.use_cases.write_once import WriteOnce
from domain.actor import Actor
from domain.idempotency import KeyedRequest, idempotency_key
from entrypoints.http.controllers.entity_ids import CollectionId
from entrypoints.http.controllers.received_body import (
    IDEMPOTENCY_KEY,
    ReceivedBody,
    receive_body,
)
from entrypoints.http.openapi import export_file_schema, operation_with_body
from entrypoints.http.request_checks import RAW_BODY
from entrypoints.http.responses import api_error_specs, json_bytes, success_spec
from entrypoints.runtime import collector_paused
from entrypoints.wire.import_answer import ImportedEntity, import_answer
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
            "[ext] Update entities this collection already holds (imported from the same "
            "origin, or with that ID) in place instead of creating copies; each item says its "
            "action."
        ),
    ),
]
Prune = Annotated[
    bool,
    QueryParameter(
        name="prune",
        description=(
            "[ext] With overwrite: also delete, in the same transaction, what this source "
            "deployed into the collection that the file no longer has; each is an item with "
            'action "deleted" after the file\'s items.'
        ),
    ),
]
Source = Annotated[
    str | None,
    QueryParameter(
        name="source",
        description=(
            "[ext] Where the file comes from (1-200 printable characters; clients send the "
            "source server's URL and collection), recorded with each origin: an overwrite "
            "matches, and a prune deletes, only what this source deployed."
        ),
    ),
]
Prepare = Annotated[
    bool,
    QueryParameter(
        name="prepare",
        description=(
            "[ext] First register the definitions the file's reports carry (with their XML) "
            "and widen the collection's scope for them, in the same transaction; with dryRun, "
            "check as if that were done."
        ),
    ),
]


IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name=IDEMPOTENCY_KEY,
        description=(
            "[ext] 1-255 printable ASCII characters naming this request: a retry with the same "
            "key and the same request gets the first answer again and writes nothing; the same "
            "key with another request is refused (422). Kept per caller for "
            "BOARDPORT_IDEMPOTENCY_HOURS."
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
        responses={
            200: success_spec(
                list[ImportedEntity],
                "One item per distinct entity of the file, in file order, then (with prune) one "
                "per deleted entity. A retry of a request with an Idempotency-Key gets the first "
                "answer byte for byte, with the header Idempotent-Replayed: true.",
            )
        }
        | api_error_specs(
            {
                400: "The file or request is invalid; errorCode says which check failed.",
                404: "The collection does not exist.",
                409: (
                    "The collection's scope does not hold the reports' definitions or tenants; "
                    "or, with overwrite, an entity matches a stored one of another type, or two "
                    "match the same one (importOverwriteConflict); or the first request with "
                    "this Idempotency-Key still runs (idempotencyKeyInProgress, Retry-After)."
                ),
                422: "The Idempotency-Key was sent before with another request.",
                503: "The database failed or is unreachable; nothing was written.",
            },
            with_body=True,
        ),
    )
    def import_file(  # noqa: PLR0917 - Litestar passes the parameters by name
        self,
        request: Request[Actor, Any, Any],
        import_entities: NamedDependency[ImportEntities],
        write_once: NamedDependency[WriteOnce],
        read_import_file: NamedDependency[ImportFileReader],
        received_body: NamedDependency[ReceivedBody],
        collection_id: CollectionId = None,
        dry_run: DryRun = False,
        overwrite: Overwrite = False,
        prune: Prune = False,
        source: Source = None,
        prepare: Prepare = False,
        idempotency: IdempotencyKey = None,
    ) -> Response[bytes]:
        """With an Idempotency-Key, the answer is kept for the caller and key, in the import's
        own transaction, and sent again, byte for byte, to a retry of the same request."""
        reader = partial(read_import_file.from_file, received_body.file)
        options = ImportOptions(dry_run, overwrite, prune, prepare, source)
        with collector_paused():
            actor = request.user
            if idempotency is None:
                items = import_entities(collection_id, reader, options, actor=actor)
                return json_bytes(import_answer(items))
            keyed = KeyedRequest(
                request.user.name,
                idempotency_key(idempotency),
                request_fingerprint(request, received_body.sha256),
            )
            once = write_once(
                keyed,
                import_answer,
                lambda keeping: import_entities(
                    collection_id, reader, options, actor=actor, keeping=keeping
                ),
                dry_run=dry_run,
            )
        return json_bytes(once.answer, headers={REPLAYED: "true"} if once.replayed else None)


REPLAYED = "Idempotent-Replayed"


def request_fingerprint(request: Request[Any, Any, Any], body_sha256: str | None = "") -> str:
    """What a retry repeats exactly: the method, the path with its query, the body's SHA-256
    (none for a request without a body, such as a revert)."""
    query = request.scope.get("query_string", b"").decode("latin-1")
    text = f"{request.method}\n{request.scope['path']}?{query}\n{body_sha256}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
