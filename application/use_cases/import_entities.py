from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from application.history_recording import record_change
from application.import_writing import ImportMode, PlannedImport, plan_import, write_import
from application.ports.clock import Clock
from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import ReadingUnitOfWork, WritingUnitOfWork
from application.use_cases.prepare_for_import import prepare_in
from domain.actor import Actor
from domain.collection import Collection, required_collection_id
from domain.definition import DefinitionCatalog
from domain.definitions_from_export import definitions_to_register, scope_needed
from domain.errors import BadRequest, NotFound
from domain.export_format.reader import EntityStream, FileEntry, read_export_file
from domain.import_plan import CheckedImport, ImportedItem, check_import, referenced_definitions
from domain.json_document import JsonValue
from domain.limits import InputLimits
from domain.origin import source_label

DocumentReader = Callable[[], "JsonValue | EntityStream"]
"""Reads the import file when asked, raising ImportFileInvalid when it is not JSON (an entity
stream raises it as it is read). It is asked only after the collection checks, so those answer
first, as the contract orders."""
PRUNE_NEEDS_OVERWRITE = (
    "prune=true needs overwrite=true: only an import that updates what a source deployed can "
    "tell what that source no longer has."
)


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """How a file is imported, as the API's parameters name it: `dry_run` writes nothing;
    `overwrite` updates what the collection holds from the same origin; `prune` (with
    overwrite) deletes what this source deployed there that the file no longer has; `prepare`
    registers the file's definitions and widens the scope first; `source` labels origins."""

    dry_run: bool = False
    overwrite: bool = False
    prune: bool = False
    prepare: bool = False
    source: str | None = None

    def mode(self) -> ImportMode:
        if self.prune and not self.overwrite:
            raise BadRequest(PRUNE_NEEDS_OVERWRITE)
        return ImportMode(self.overwrite, self.prune, source_label(self.source))


class AnswerKeeping(Protocol):
    """What an import sent with an Idempotency-Key does in its own transaction: it claims the
    key before it writes, and keeps its answer before it commits."""

    def claim(self, uow: WritingUnitOfWork) -> None: ...

    def keep(self, uow: WritingUnitOfWork, items: tuple[ImportedItem, ...]) -> None: ...


@dataclass(frozen=True, slots=True)
class _Checked:
    checked: CheckedImport
    entries: Sequence[FileEntry]
    prepare: bool


class ImportEntities:
    """Imports an export file into a collection: every check of the contract first, in its
    order, then every entity under a new ID in one transaction. A failed import writes nothing;
    a dry run checks everything, writes nothing and answers what would be done.

    Every entity the import creates remembers its origin (its ID in the file and the import's
    `source` label), taken over from any older copy. With `overwrite`, an entity the collection
    already holds from the same origin (or with that ID) is updated in place instead, or left
    alone when the file brings nothing new for it; with `prune` too, what the same source
    deployed into the collection that the file no longer has is deleted. With `prepare`, the
    definitions the file's reports carry are registered and the collection's scope widened
    first, in the same transaction (a dry run checks as if they were). An import that changes
    nothing does not commit.

    The checks read in units of work of their own and the file is parsed outside any, so the
    writing unit of work (which on SQLite holds the database's write lock from its start) is
    held only for the writes. What the checks read can only have grown meanwhile: collections,
    their scope and definitions are never taken away. What an import matches against is read
    again once the writing unit of work holds the collection, so two imports of one file take
    turns and the second finds what the first wrote.

    Each import that writes is recorded in history as a change by `actor`, in its own
    transaction."""

    def __init__(
        self,
        reading_uow: ReadingUnitOfWork,
        writing_uow: WritingUnitOfWork,
        ids: IdGenerator,
        clock: Clock,
        limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
    ) -> None:
        self._reading = reading_uow
        self._writing = writing_uow
        self._ids = ids
        self._clock = clock
        self._limits = limits

    def __call__(
        self,
        collection_id: str | None,
        read_document: DocumentReader,
        options: ImportOptions = ImportOptions(),
        *,
        actor: Actor,
        keeping: AnswerKeeping | None = None,
    ) -> tuple[ImportedItem, ...]:
        mode = options.mode()
        dry_run = options.dry_run
        checked = self._checked(collection_id, read_document, prepare=options.prepare)
        if dry_run:
            with self._reading as uow:
                items = plan_import(uow, checked.checked, mode, self._ids.new_id).predicted()
        else:
            items = self._written(checked, mode, actor, keeping)
        if dry_run:  # a dry run also says which release's format each entity was read as
            read_as = {e.entity.id: e.read_as for e in checked.entries}
            return tuple(replace(i, read_as=read_as.get(i.source_id)) for i in items)
        return items

    def _checked(
        self, collection_id: str | None, read_document: DocumentReader, *, prepare: bool
    ) -> _Checked:
        """Checks 1 to 7 of the contract, in order: the first that fails answers. With
        `prepare`, as if the file's definitions were registered and its scope widened."""
        target = required_collection_id(collection_id)
        collection = self._collection(target)
        entries = read_export_file(read_document(), self._limits)
        keys = {(ref.type, ref.key) for ref in referenced_definitions(entries)}
        with self._reading as uow:
            known = uow.definitions.of_keys(keys)
        if prepare:
            known = [*known, *definitions_to_register(entries, known)]
            collection = collection.with_scope(scope_needed(entries))
        checked = check_import(entries, collection, DefinitionCatalog(known))
        return _Checked(checked, entries, prepare)

    def _written(
        self, checked: _Checked, mode: ImportMode, actor: Actor, keeping: AnswerKeeping | None
    ) -> tuple[ImportedItem, ...]:
        with self._writing as uow:
            if keeping is not None:
                keeping.claim(uow)
            collection = self._lock(uow, checked.checked.collection_id)
            prepared = (
                checked.prepare and prepare_in(uow, checked.entries, collection).wrote_anything
            )
            planned: PlannedImport = plan_import(uow, checked.checked, mode, self._ids.new_id)
            touches = write_import(uow, planned, mode)
            record_change(
                uow,
                "import",
                actor,
                self._clock.now(),
                collection_id=planned.collection_id,
                touches=touches,
            )
            if keeping is not None:
                keeping.keep(uow, planned.items)
            if planned.writes_anything or prepared or keeping is not None:
                uow.commit()  # otherwise nothing changed, so no change is announced
        return planned.items

    @staticmethod
    def _lock(uow: WritingUnitOfWork, collection_id: str) -> Collection:
        """Holds the collection against other imports until the unit of work ends."""
        collection = uow.collections.lock(collection_id)
        if collection is None:
            raise NotFound("collections", [collection_id])
        return collection

    def _collection(self, collection_id: str) -> Collection:
        with self._reading as uow:
            collection = uow.collections.get(collection_id)
        if collection is None:
            raise NotFound("collections", [collection_id])
        return collection
