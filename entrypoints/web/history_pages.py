"""The history pages (PUBLIC_API.md §4 "History"): an entity's revisions with "Restore this
version", a collection's changes a page at a time, one change, and its revert, which first shows
what it will do (the revert's own dry run) and acts only on the confirm. Each calls the use case
the API calls; every button that writes is a POST carrying the session's CSRF token."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Template

from application.use_cases.browse_history import BrowseHistory, ChangeDetail
from application.use_cases.get_collection import GetCollection
from application.use_cases.restore_revision import RestoreRevision
from application.use_cases.revert_change import RevertChange
from domain.collection import Collection
from domain.errors import NotFound
from domain.history import EntityKey
from domain.import_plan import ImportedItem
from domain.revert import ConflictedEntity, RevertConflict
from entrypoints.web.csrf import signed_in_actor
from entrypoints.web.history_section import entity_path, history_path, history_section, when

CHANGES_PAGE = 20
"""Changes on one page of the listing."""
ENTITIES_LISTED = 10
"""Entities named under each change of the listing; the change's own page names them all."""
Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]

_DONE = {
    "created": "brought back",
    "updated": "given back its earlier content",
    "deleted": "deleted",
    "unchanged": "left as it is",
}
_TO_DO = {
    "created": "will come back, with its ID",
    "updated": "will get back its content from before the change",
    "deleted": "will be deleted",
    "unchanged": "stays as it is",
}


@dataclass(frozen=True, slots=True)
class RevertRow:
    """One entity of a revert, named as the change names it (an entity that only loses a
    place to what the revert deletes is named by its ID)."""

    key: EntityKey
    name: str | None
    action: str

    @property
    def path(self) -> str:
        return history_path(self.key)


class HistoryPages(Controller):
    """The router's guard lets only a signed-in session through."""

    path = "/"
    include_in_schema = False

    @get("/dashboards/{dashboard_id:str}/history", sync_to_thread=True)
    def dashboard_history(
        self,
        dashboard_id: FromPath[str],
        browse_history: NamedDependency[BrowseHistory],
        earlier: FromQuery[int | None] = None,
        later: FromQuery[int | None] = None,
    ) -> Template:
        key = EntityKey("dashboard", dashboard_id)
        return _history_page(browse_history, key, earlier, later)

    @get("/reports/{report_id:str}/history", sync_to_thread=True)
    def report_history(
        self,
        report_id: FromPath[str],
        browse_history: NamedDependency[BrowseHistory],
        earlier: FromQuery[int | None] = None,
        later: FromQuery[int | None] = None,
    ) -> Template:
        return _history_page(browse_history, EntityKey("report", report_id), earlier, later)

    @post("/dashboards/{dashboard_id:str}/revisions/{number:int}/restore", sync_to_thread=True)
    def dashboard_restore(
        self,
        request: Request[Any, Any, Any],
        dashboard_id: FromPath[str],
        number: FromPath[int],
        restore_revision: NamedDependency[RestoreRevision],
        browse_history: NamedDependency[BrowseHistory],
    ) -> Template:
        key = EntityKey("dashboard", dashboard_id)
        return _restore(request, restore_revision, browse_history, key, number)

    @post("/reports/{report_id:str}/revisions/{number:int}/restore", sync_to_thread=True)
    def report_restore(
        self,
        request: Request[Any, Any, Any],
        report_id: FromPath[str],
        number: FromPath[int],
        restore_revision: NamedDependency[RestoreRevision],
        browse_history: NamedDependency[BrowseHistory],
    ) -> Template:
        key = EntityKey("report", report_id)
        return _restore(request, restore_revision, browse_history, key, number)

    @get("/changes", sync_to_thread=True)
    def every_change(
        self, browse_history: NamedDependency[BrowseHistory], before: FromQuery[str | None] = None
    ) -> Template:
        return _changes_page(browse_history, None, before)

    @get("/collections/{collection_id:str}/changes", sync_to_thread=True)
    def collection_changes(
        self,
        collection_id: FromPath[str],
        browse_history: NamedDependency[BrowseHistory],
        get_collection: NamedDependency[GetCollection],
        before: FromQuery[str | None] = None,
    ) -> Template:
        return _changes_page(browse_history, get_collection(collection_id), before)

    @get("/changes/{change_id:str}", sync_to_thread=True)
    def change(
        self, change_id: FromPath[str], browse_history: NamedDependency[BrowseHistory]
    ) -> Template:
        detail = browse_history.change(change_id)
        return Template("history_change.html", context={"detail": detail, **_change_words()})

    @post("/changes/{change_id:str}/revert-preview", sync_to_thread=True)
    def revert_preview(
        self,
        request: Request[Any, Any, Any],
        change_id: FromPath[str],
        browse_history: NamedDependency[BrowseHistory],
        revert_change: NamedDependency[RevertChange],
    ) -> Template:
        """What the revert will do, by its own dry run: the items, or the entities a later
        change touched and what a forced revert would do."""
        detail = browse_history.change(change_id)
        actor = signed_in_actor(request.scope)
        try:
            items = revert_change(change_id, actor=actor, dry_run=True)
        except RevertConflict as conflict:
            forced = revert_change(change_id, actor=actor, dry_run=True, force=True)
            return _revert_page(detail, forced, conflicts=conflict.conflicts)
        return _revert_page(detail, items)

    @post("/changes/{change_id:str}/revert", sync_to_thread=True)
    def revert(
        self,
        request: Request[Any, Any, Any],
        change_id: FromPath[str],
        data: Form,
        browse_history: NamedDependency[BrowseHistory],
        revert_change: NamedDependency[RevertChange],
    ) -> Template:
        """The revert, forced only when the preview's "Revert anyway" sent `force`; refused by
        a change made since the preview, it shows the preview's choice again and writes
        nothing."""
        detail = browse_history.change(change_id)
        actor = signed_in_actor(request.scope)
        force = data.get("force") == "true"
        try:
            items = revert_change(change_id, actor=actor, force=force)
        except RevertConflict as conflict:
            forced = revert_change(change_id, actor=actor, dry_run=True, force=True)
            return _revert_page(detail, forced, conflicts=conflict.conflicts, status_code=409)
        return _revert_page(detail, items, done=True)


def _history_page(
    browse: BrowseHistory, key: EntityKey, earlier: int | None, later: int | None
) -> Template:
    section = history_section(browse, key, earlier=earlier, later=later)
    if section.newest is None:
        raise NotFound(f"{key.entity_type}s", [key.id])
    newest = browse.revision(key, section.newest).entity
    context = {
        "history": section,
        "name": newest.name,
        "collection_id": newest.collection_id,
        "entity_path": entity_path(key),
    }
    return Template("history_entity.html", context=context)


def _restore(
    request: Request[Any, Any, Any],
    restore: RestoreRevision,
    browse: BrowseHistory,
    key: EntityKey,
    number: int,
) -> Template:
    restored = restore(key, number, actor=signed_in_actor(request.scope))
    name = browse.revision(key, number).entity.name
    context = {
        "key": key,
        "name": name,
        "number": number,
        "action": restored.item.action,
        "change_id": restored.change_id,
        "entity_path": entity_path(key),
        "history_path": history_path(key),
    }
    return Template("history_restored.html", context=context)


def _changes_page(
    browse: BrowseHistory, collection: Collection | None, before: str | None
) -> Template:
    collection_id = None if collection is None else collection.id
    listed = browse.changes_with_entities(
        collection_id, CHANGES_PAGE + 1, before, entities_each=ENTITIES_LISTED
    )
    page = listed[:CHANGES_PAGE]
    context = {
        "collection": collection,
        "changes": page,
        "older": page[-1].change.id if len(listed) > CHANGES_PAGE else None,
        "first_page": before is None,
        **_change_words(),
    }
    return Template("history_changes.html", context=context)


def _change_words() -> dict[str, Any]:
    return {"when": when, "history_path": history_path}


def _revert_page(
    detail: ChangeDetail,
    items: Sequence[ImportedItem],
    *,
    conflicts: Sequence[ConflictedEntity] = (),
    done: bool = False,
    status_code: int = 200,
) -> Template:
    names = {e.key: e.name for e in detail.entities}
    rows = [_row(item, names) for item in items]
    context = {
        "change": detail.change,
        "rows": rows,
        "conflicts": conflicts,
        "done": done,
        "words": _DONE if done else _TO_DO,
        "writes": any(r.action != "unchanged" for r in rows),
        **_change_words(),
    }
    return Template("history_revert.html", context=context, status_code=status_code)


def _row(item: ImportedItem, names: Mapping[EntityKey, str]) -> RevertRow:
    key = EntityKey(item.entity_type, item.id or item.source_id)
    return RevertRow(key, names.get(key), item.action or "unchanged")
