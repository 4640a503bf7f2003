"""The import pages: a file's dry run, kept on the server until it is confirmed, then the
import itself, each through the use case the API calls."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from application.use_cases.get_collection import GetCollection
from application.use_cases.import_entities import ImportEntities, ImportOptions
from domain.errors import DomainError
from domain.export_format.reader import read_export_file
from domain.import_plan import ImportedItem
from entrypoints.error_table import body_for
from entrypoints.runtime import collector_paused
from entrypoints.web.csrf import signed_in_actor
from entrypoints.web.pages import TYPE_NAMES
from entrypoints.web.pending_imports import WaitingImports
from entrypoints.web.sessions import SESSION_COOKIE
from entrypoints.web.shown_changes import ShownChange, shown_changes
from entrypoints.wire.import_body import ImportFileReader


@dataclass(frozen=True, slots=True)
class PreviewRow:
    type: str
    name: str
    source_id: str
    action: str
    """created, updated, unchanged or deleted."""
    new_id: str | None
    changes: tuple[ShownChange, ...] = ()
    changes_omitted: int = 0


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """How many entities each action takes, in the words of the confirm button."""

    created: int
    updated: int
    unchanged: int
    deleted: int

    @classmethod
    def of(cls, rows: list[PreviewRow]) -> ImportSummary:
        actions = [r.action for r in rows]
        return cls(*(actions.count(a) for a in ("created", "updated", "unchanged", "deleted")))

    @property
    def writes(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def words(self, *, done: bool = False) -> str:
        verbs = (
            ("created", "updated", "deleted") if done else ("to create", "to update", "to delete")
        )
        parts = [f"{self.created} {verbs[0]}", f"{self.updated} {verbs[1]}"]
        if self.deleted:
            parts.append(f"{self.deleted} {verbs[2]}")
        parts.append(f"{self.unchanged} unchanged")
        return ", ".join(parts)


class ImportPages(Controller):
    """Upload, dry run and confirm; the router's guard lets only a signed-in session through."""

    path = "/"
    include_in_schema = False

    @get("/collections/{collection_id:str}/import", sync_to_thread=True)
    def import_form(
        self, collection_id: FromPath[str], get_collection: NamedDependency[GetCollection]
    ) -> Template:
        return Template("import.html", context={"collection": get_collection(collection_id)})

    @post("/collections/{collection_id:str}/import")
    async def import_preview(
        self,
        *,
        request: Request[Any, Any, Any],
        collection_id: FromPath[str],
        get_collection: NamedDependency[GetCollection],
        import_entities: NamedDependency[ImportEntities],
        read_import_file: NamedDependency[ImportFileReader],
        pending_imports: NamedDependency[WaitingImports],
    ) -> Template:
        """The dry run of an uploaded file. The file stays on the server for the confirm step."""
        collection = get_collection(collection_id)
        form = await request.form()
        upload = form.get("file")
        content = await upload.read() if isinstance(upload, UploadFile) else b""
        file_name = upload.filename if isinstance(upload, UploadFile) else ""
        overwrite, prune = form.get("overwrite") == "true", form.get("prune") == "true"
        context: dict[str, Any] = {"collection": collection, "file_name": file_name}
        try:
            with collector_paused():
                items = import_entities(
                    collection_id,
                    lambda: read_import_file(content),
                    ImportOptions(dry_run=True, overwrite=overwrite, prune=prune),
                    actor=signed_in_actor(request.scope),
                )
        except DomainError as rejected:
            return _import_problem(context, rejected)
        session = request.cookies.get(SESSION_COOKIE, "")
        key = pending_imports.keep(
            session, collection_id, file_name, content, overwrite=overwrite, prune=prune
        )
        rows = _preview_rows(items, read_import_file(content))
        context |= {
            "rows": rows,
            "summary": ImportSummary.of(rows),
            "pending_key": key,
            "pending_minutes": int(pending_imports.lifetime.total_seconds() // 60),
        }
        return Template("import_preview.html", context=context)

    @post("/imports/{pending_key:str}/confirm", sync_to_thread=True)
    def import_confirm(
        self,
        *,
        request: Request[Any, Any, Any],
        pending_key: FromPath[str],
        get_collection: NamedDependency[GetCollection],
        import_entities: NamedDependency[ImportEntities],
        read_import_file: NamedDependency[ImportFileReader],
        pending_imports: NamedDependency[WaitingImports],
    ) -> Template:
        pending = pending_imports.take(pending_key, request.cookies.get(SESSION_COOKIE, ""))
        if pending is None:
            return Template(
                "message.html",
                context={
                    "heading": "This import is no longer waiting",
                    "text": "The file was kept for a limited time, or was imported already. "
                    "Upload it again to see its dry run.",
                },
                status_code=410,
            )
        collection = get_collection(pending.collection_id)
        context: dict[str, Any] = {"collection": collection, "file_name": pending.file_name}
        try:
            with collector_paused():
                items = import_entities(
                    pending.collection_id,
                    lambda: read_import_file(pending.content),
                    ImportOptions(overwrite=pending.overwrite, prune=pending.prune),
                    actor=signed_in_actor(request.scope),
                )
        except DomainError as rejected:
            return _import_problem(context, rejected)
        rows = _preview_rows(items, read_import_file(pending.content))
        context |= {"rows": rows, "summary": ImportSummary.of(rows), "imported": True}
        return Template("import_preview.html", context=context)


def _preview_rows(items: tuple[ImportedItem, ...], document: Any) -> list[PreviewRow]:
    """Each entity of the import with its type and name as the file gives them, and what the
    import does with it: created, updated (with the dry run's field changes), unchanged, or
    deleted (a pruned entity, which the file does not hold)."""
    entries = {e.entity.id: e for e in read_export_file(document)}
    rows = []
    for item in items:
        entry = entries.get(item.source_id) if item.action != "deleted" else None
        rows.append(
            PreviewRow(
                type=TYPE_NAMES[entry.entity_type] if entry else item.entity_type,
                name=entry.entity.name if entry else "",
                source_id=item.source_id,
                action=item.action or "created",
                new_id=item.id,
                changes=shown_changes(item.changes),
                changes_omitted=item.changes.omitted if item.changes else 0,
            )
        )
    return rows


def _import_problem(context: dict[str, Any], rejected: DomainError) -> Template:
    """The refusal in the API's own words: errorCode, message, the detail naming entity and
    field, and the contract's extra fields."""
    body = body_for(rejected)
    extra = [(name, _shown(value)) for name, value in body.extra.items()]
    return Template(
        "import_preview.html",
        context=context | {"error": body, "error_extra": extra},
        status_code=body.status,
    )


def _shown(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
