"""The history of the CLI's own database, through the container's use cases: a revert is
written as `cli:<login name>` (entrypoints.cli.context.cli_actor)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from application.ports.history_server import HistoryServer
from domain.entity_changes import EntityChanges
from domain.export_format.writer import entity_json, standard_encode
from domain.history import ChangeSummary, EntityKey, RevisionEntry
from domain.import_plan import ImportedItem
from entrypoints.cli.context import cli_actor

if TYPE_CHECKING:
    from entrypoints.container import Container


class LocalHistory(HistoryServer):
    def __init__(self, container: Container) -> None:
        self._container = container

    def changes(self, collection_id: str | None, limit: int) -> list[ChangeSummary]:
        return self._container.browse_history().changes(collection_id, limit)

    def revisions(self, key: EntityKey) -> list[RevisionEntry]:
        return self._container.browse_history().revisions(key)

    def revision(self, key: EntityKey, number: int) -> bytes:
        found = self._container.browse_history().revision(key, number)
        return b"".join(entity_json(found.entity, standard_encode))

    def diff(self, key: EntityKey, number: int, to: int | None) -> EntityChanges:
        return self._container.browse_history().diff(key, number, to)

    def revert(self, change_id: str, *, dry_run: bool, force: bool) -> list[ImportedItem]:
        revert = self._container.revert_change()
        return list(revert(change_id, actor=cli_actor(), dry_run=dry_run, force=force))
