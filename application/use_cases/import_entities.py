from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace

from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from domain.collection import Collection, required_collection_id
from domain.definition import DefinitionCatalog
from domain.errors import NotFound
from domain.export_format.reader import read_export_file
from domain.import_plan import ImportedItem, plan_import, referenced_definitions
from domain.json_document import JsonValue
from domain.limits import InputLimits

BulkWork = Callable[[], AbstractContextManager[object]]
"""What surrounds an import's bulk work: the process may pause what would slow the parsing and
building of a large file (the HTTP and CLI entrypoints pause the cyclic garbage collector)."""
DocumentReader = Callable[[], JsonValue]
"""Reads the import file when asked, raising ImportFileInvalid when it is not JSON. It is asked
only after the collection checks, so those answer first, as the contract orders."""


class ImportEntities:
    """Imports an export file into a collection: every check of the contract first, in its
    order, then every entity under a new ID in one transaction. A failed import writes nothing;
    a dry run checks everything, writes nothing and answers what would be created.

    The checks read in units of work of their own and the file is parsed outside any, so the
    writing unit of work (which on SQLite holds the database's write lock from its start) is
    held only for the writes. What the checks read can only have grown meanwhile: collections,
    their scope and definitions are never taken away."""

    def __init__(
        self,
        reading_uow: UnitOfWork,
        writing_uow: UnitOfWork,
        ids: IdGenerator,
        limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
        bulk_work: BulkWork = nullcontext,
    ) -> None:
        self._reading = reading_uow
        self._writing = writing_uow
        self._ids = ids
        self._limits = limits
        self._bulk_work = bulk_work

    def __call__(
        self, collection_id: str | None, read_document: DocumentReader, *, dry_run: bool = False
    ) -> tuple[ImportedItem, ...]:
        with self._bulk_work():
            return self._import(collection_id, read_document, dry_run=dry_run)

    def _import(
        self, collection_id: str | None, read_document: DocumentReader, *, dry_run: bool
    ) -> tuple[ImportedItem, ...]:
        target = required_collection_id(collection_id)
        self._collection(target)
        entries = read_export_file(read_document(), self._limits)
        keys = {(ref.type, ref.key) for ref in referenced_definitions(entries)}
        with self._reading as uow:
            catalog = DefinitionCatalog(uow.definitions.of_keys(keys))
        plan = plan_import(entries, self._collection(target), catalog, self._ids.new_id)
        if dry_run:
            read_as = {e.entity.id: e.read_as for e in entries}
            return tuple(replace(i, read_as=read_as.get(i.source_id)) for i in plan.predicted())
        with self._writing as uow:
            uow.reports.add_all(plan.reports)
            uow.dashboards.add_all(plan.dashboards)
            uow.commit()
        return plan.items

    def _collection(self, collection_id: str) -> Collection:
        with self._reading as uow:
            collection = uow.collections.get(collection_id)
        if collection is None:
            raise NotFound("collections", [collection_id])
        return collection
