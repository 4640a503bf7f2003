from __future__ import annotations

from collections.abc import Callable

from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.collection_scope import required_collection_id
from domain.definition import DefinitionCatalog
from domain.errors import NotFound
from domain.export_file import read_export_file
from domain.import_plan import ImportedItem, plan_import, referenced_definitions
from domain.json_document import JsonValue
from domain.limits import InputLimits

DocumentReader = Callable[[], JsonValue]
"""Reads the import file when asked, raising ImportFileInvalid when it is not JSON. It is asked
only after the collection checks, so those answer first, as the contract orders."""


class ImportEntities:
    """Imports an export file into a collection: every check of the contract first, in its
    order, then every entity under a new ID in one transaction. A failed import writes nothing;
    a dry run checks everything, writes nothing and answers what would be created."""

    def __init__(
        self,
        uow: UnitOfWork,
        ids: IdGenerator,
        limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
    ) -> None:
        self._uow = uow
        self._ids = ids
        self._limits = limits

    def __call__(
        self, collection_id: str | None, read_document: DocumentReader, *, dry_run: bool = False
    ) -> tuple[ImportedItem, ...]:
        target = required_collection_id(collection_id)
        with self._uow as uow:
            collection = uow.collections.get(target)
            if collection is None:
                raise NotFound("collections", [target])
            entries = read_export_file(read_document(), self._limits)
            keys = {(ref.type, ref.key) for ref in referenced_definitions(entries)}
            catalog = DefinitionCatalog(uow.definitions.of_keys(keys))
            plan = plan_import(entries, collection, catalog, self._ids.new_id)
            if dry_run:
                return plan.predicted()
            uow.reports.add_all(plan.reports)
            uow.dashboards.add_all(plan.dashboards)
            uow.commit()
        return plan.items
