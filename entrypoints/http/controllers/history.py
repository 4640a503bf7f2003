"""History over the API (PUBLIC_API.md §4 "History: changes, revisions, revert")."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from application.use_cases.browse_history import MAX_LIMIT, BrowseHistory
from application.use_cases.revert_change import RevertChange
from application.use_cases.write_once import WriteOnce
from domain.actor import Actor
from domain.export_format.writer import entity_json, standard_encode
from domain.history import EntityKey
from domain.idempotency import KeyedRequest, idempotency_key
from entrypoints.http.controllers.entity_ids import CollectionId
from entrypoints.http.controllers.import_entities import (
    REPLAYED,
    DryRun,
    IdempotencyKey,
    request_fingerprint,
)
from entrypoints.http.responses import api_error_specs, json_bytes, success_spec
from entrypoints.wire.history import (
    ChangeDetailOut,
    ChangeOut,
    RevisionDiffOut,
    RevisionOut,
)
from entrypoints.wire.import_answer import ImportedEntity, import_answer

Limit = Annotated[
    int,
    QueryParameter(name="limit", ge=1, le=MAX_LIMIT, description="At most this many changes."),
]
Before = Annotated[
    str | None,
    QueryParameter(name="before", description="Only changes older than this change ID (paging)."),
]
To = Annotated[
    int | None,
    QueryParameter(name="to", ge=1, description="The later revision; the current one if absent."),
]
Force = Annotated[
    bool,
    QueryParameter(
        name="force",
        description="Restore the change's entities even when a later change touched them.",
    ),
]
_NOT_FOUND = {404: "No such change, or no such entity or revision in history."}
_REVISION_ANSWERS = {
    200: success_spec(dict[str, Any], "The export entity, in the current format.")
} | api_error_specs(_NOT_FOUND)


class HistoryController(Controller):
    path = "/api/public"
    tags = ("History",)

    @get(
        "/change",
        operation_id="listChanges",
        summary="[ext] Changes, newest first",
        sync_to_thread=True,
        responses=api_error_specs({400: "limit is not between 1 and 500."}),
    )
    def changes(
        self,
        browse_history: NamedDependency[BrowseHistory],
        collection_id: CollectionId = None,
        limit: Limit = 50,
        before: Before = None,
    ) -> list[ChangeOut]:
        return [ChangeOut.of(c) for c in browse_history.changes(collection_id, limit, before)]

    @get(
        "/change/{change_id:str}",
        operation_id="getChange",
        summary="[ext] One change with the entities it touched",
        sync_to_thread=True,
        responses=api_error_specs(_NOT_FOUND),
    )
    def change(
        self, browse_history: NamedDependency[BrowseHistory], change_id: FromPath[str]
    ) -> ChangeDetailOut:
        return ChangeDetailOut.of_detail(browse_history.change(change_id))

    # One handler per entity type: Litestar 2 cannot run a synchronous handler answering a
    # Response under a list of paths.
    @get(
        "/report/{entity_id:str}/revision",
        operation_id="listReportRevisions",
        summary="[ext] Revisions of a report, newest first (a deleted one's too)",
        sync_to_thread=True,
        responses=api_error_specs(_NOT_FOUND),
    )
    def report_revisions(
        self, browse_history: NamedDependency[BrowseHistory], entity_id: FromPath[str]
    ) -> list[RevisionOut]:
        return _revisions(browse_history, EntityKey("report", entity_id))

    @get(
        "/dashboard/{entity_id:str}/revision",
        operation_id="listDashboardRevisions",
        summary="[ext] Revisions of a dashboard, newest first (a deleted one's too)",
        sync_to_thread=True,
        responses=api_error_specs(_NOT_FOUND),
    )
    def dashboard_revisions(
        self, browse_history: NamedDependency[BrowseHistory], entity_id: FromPath[str]
    ) -> list[RevisionOut]:
        return _revisions(browse_history, EntityKey("dashboard", entity_id))

    @get(
        "/report/{entity_id:str}/revision/{number:int}",
        operation_id="getReportRevision",
        summary="[ext] A report as it was then: an export entity any import takes",
        sync_to_thread=True,
        responses=_REVISION_ANSWERS,
    )
    def report_revision(
        self,
        browse_history: NamedDependency[BrowseHistory],
        entity_id: FromPath[str],
        number: FromPath[int],
    ) -> Response[bytes]:
        return _revision(browse_history, EntityKey("report", entity_id), number)

    @get(
        "/dashboard/{entity_id:str}/revision/{number:int}",
        operation_id="getDashboardRevision",
        summary="[ext] A dashboard as it was then: an export entity any import takes",
        sync_to_thread=True,
        responses=_REVISION_ANSWERS,
    )
    def dashboard_revision(
        self,
        browse_history: NamedDependency[BrowseHistory],
        entity_id: FromPath[str],
        number: FromPath[int],
    ) -> Response[bytes]:
        return _revision(browse_history, EntityKey("dashboard", entity_id), number)

    @get(
        "/report/{entity_id:str}/revision/{number:int}/diff",
        operation_id="diffReportRevisions",
        summary="[ext] What changed in a report from one revision to another",
        sync_to_thread=True,
        responses=api_error_specs(_NOT_FOUND),
    )
    def report_diff(
        self,
        browse_history: NamedDependency[BrowseHistory],
        entity_id: FromPath[str],
        number: FromPath[int],
        to: To = None,
    ) -> RevisionDiffOut:
        return RevisionDiffOut.of(browse_history.diff(EntityKey("report", entity_id), number, to))

    @get(
        "/dashboard/{entity_id:str}/revision/{number:int}/diff",
        operation_id="diffDashboardRevisions",
        summary="[ext] What changed in a dashboard from one revision to another",
        sync_to_thread=True,
        responses=api_error_specs(_NOT_FOUND),
    )
    def dashboard_diff(
        self,
        browse_history: NamedDependency[BrowseHistory],
        entity_id: FromPath[str],
        number: FromPath[int],
        to: To = None,
    ) -> RevisionDiffOut:
        key = EntityKey("dashboard", entity_id)
        return RevisionDiffOut.of(browse_history.diff(key, number, to))

    @post(
        "/change/{change_id:str}/revert",
        operation_id="revertChange",
        summary="[ext] Undo one change in one transaction, recorded as a change of its own",
        status_code=200,
        sync_to_thread=True,
        responses={
            200: success_spec(
                list[ImportedEntity],
                "An import's answer: one item per entity with what the revert did to it.",
            )
        }
        | api_error_specs(
            _NOT_FOUND
            | {
                409: "A later change touched an entity the revert would restore "
                "(revertConflict; force=true restores anyway), or the first request with this "
                "Idempotency-Key still runs (idempotencyKeyInProgress).",
                422: "The Idempotency-Key was sent before with another request.",
            }
        ),
    )
    def revert(  # noqa: PLR0917 - Litestar passes the parameters by name
        self,
        request: Request[Actor, Any, Any],
        revert_change: NamedDependency[RevertChange],
        write_once: NamedDependency[WriteOnce],
        change_id: FromPath[str],
        dry_run: DryRun = False,
        force: Force = False,
        idempotency: IdempotencyKey = None,
    ) -> Response[bytes]:
        revert = partial(revert_change, change_id, actor=request.user, dry_run=dry_run, force=force)
        if idempotency is None:
            return json_bytes(import_answer(revert()))
        keyed = KeyedRequest(
            request.user.name, idempotency_key(idempotency), request_fingerprint(request)
        )
        once = write_once(keyed, import_answer, lambda k: revert(keeping=k), dry_run=dry_run)
        return json_bytes(once.answer, headers={REPLAYED: "true"} if once.replayed else None)


def _revisions(browse_history: BrowseHistory, key: EntityKey) -> list[RevisionOut]:
    return [RevisionOut.of(r) for r in browse_history.revisions(key)]


def _revision(browse_history: BrowseHistory, key: EntityKey, number: int) -> Response[bytes]:
    found = browse_history.revision(key, number)
    return json_bytes(b"".join(entity_json(found.entity, standard_encode)))
