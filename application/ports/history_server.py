"""A boardport's history as the command line reads and reverts it (PUBLIC_API.md §4 "History"):
the one on the CLI's own database, or another boardport reached over HTTP. The same calls and
answers either way, so `boardport history`, `show`, `diff` and `revert` print the same whatever
they talk to."""

from __future__ import annotations

from typing import Protocol

from domain.entity_changes import EntityChanges
from domain.history import ChangeSummary, EntityKey, RevisionEntry
from domain.import_plan import ImportedItem


class HistoryServer(Protocol):
    """Every method raises what its side raises for a refusal: the domain's errors on the
    local database, ServerRefused or ServerUnreachable (application.ports.optimize_server)
    over HTTP."""

    def changes(self, collection_id: str | None, limit: int) -> list[ChangeSummary]:
        """Newest first, at most `limit`; every collection's when `collection_id` is None."""
        ...

    def revisions(self, key: EntityKey) -> list[RevisionEntry]:
        """The entity's revisions, newest first (a deleted entity's too)."""
        ...

    def revision(self, key: EntityKey, number: int) -> bytes:
        """The entity as it was at that revision: an export entity's JSON, as the API sends it."""
        ...

    def diff(self, key: EntityKey, number: int, to: int | None) -> EntityChanges:
        """What changed from revision `number` to `to` (the current one when None)."""
        ...

    def revert(self, change_id: str, *, dry_run: bool, force: bool) -> list[ImportedItem]:
        """Undoes one change (a dry run: says what it would do, writing nothing); one item per
        entity with what the revert did to it. Over HTTP, a revert is sent with an
        Idempotency-Key made for it and kept on every retry, so a lost answer is asked again
        and the change is reverted once."""
        ...
