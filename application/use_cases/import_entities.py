from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from application.ports.id_generator import IdGenerator
from application.ports.unit_of_work import ReadingUnitOfWork, WritingUnitOfWork
from domain.collection import Collection, required_collection_id
from domain.definition import DefinitionCatalog
from domain.errors import NotFound
from domain.export_format.reader import EntityStream, read_export_file
from domain.import_plan import (
    CheckedImport,
    ImportedItem,
    ImportPlan,
    check_import,
    referenced_definitions,
)
from domain.json_document import JsonValue
from domain.limits import InputLimits
from domain.overwrite import StoredOrigin, match_stored, plan_overwrite

DocumentReader = Callable[[], "JsonValue | EntityStream"]
"""Reads the import file when asked, raising ImportFileInvalid when it is not JSON (an entity
stream raises it as it is read). It is asked only after the collection checks, so those answer
first, as the contract orders."""


class ImportEntities:
    """Imports an export file into a collection: every check of the contract first, in its
    order, then every entity under a new ID in one transaction. A failed import writes nothing;
    a dry run checks everything, writes nothing and answers what would be created.

    With `overwrite`, an entity the collection already holds (imported here from the same
    source ID, or with that ID) is updated in place instead, or left alone when the file
    brings nothing new for it; only a file that changes nothing writes nothing at all, and
    does not commit. Entities of the collection the file does not mention are left alone.

    The checks read in units of work of their own and the file is parsed outside any, so the
    writing unit of work (which on SQLite holds the database's write lock from its start) is
    held only for the writes. What the checks read can only have grown meanwhile: collections,
    their scope and definitions are never taken away. What an import matches against is read
    again once the writing unit of work holds the collection, so two imports of one file take
    turns and the second finds what the first wrote."""

    def __init__(
        self,
        reading_uow: ReadingUnitOfWork,
        writing_uow: WritingUnitOfWork,
        ids: IdGenerator,
        limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
    ) -> None:
        self._reading = reading_uow
        self._writing = writing_uow
        self._ids = ids
        self._limits = limits

    def __call__(
        self,
        collection_id: str | None,
        read_document: DocumentReader,
        *,
        dry_run: bool = False,
        overwrite: bool = False,
    ) -> tuple[ImportedItem, ...]:
        target = required_collection_id(collection_id)
        self._collection(target)
        entries = read_export_file(read_document(), self._limits)
        keys = {(ref.type, ref.key) for ref in referenced_definitions(entries)}
        with self._reading as uow:
            catalog = DefinitionCatalog(uow.definitions.of_keys(keys))
        checked = check_import(entries, self._collection(target), catalog)
        if overwrite:
            items = self._overwrite(checked, dry_run=dry_run)
        else:
            items = self._create(checked, dry_run=dry_run)
        if dry_run:  # a dry run also says which release's format each entity was read as
            read_as = {e.entity.id: e.read_as for e in entries}
            return tuple(replace(i, read_as=read_as.get(i.source_id)) for i in items)
        return items

    def _create(self, checked: CheckedImport, *, dry_run: bool) -> tuple[ImportedItem, ...]:
        plan = checked.planned({e.entity.id: self._ids.new_id() for e in checked.entries})
        if dry_run:
            return plan.predicted()
        target = checked.collection_id
        with self._writing as uow:
            self._lock(uow, target)
            # A source ID another entity of the collection came from stays that entity's.
            taken = {o.source_id for o in self._origins(uow, checked) if o.source_id}
            sources = plan.sources(taken)
            uow.reports.add_all(plan.reports, sources)
            uow.dashboards.add_all(plan.dashboards, sources)
            uow.commit()
        return plan.items

    def _overwrite(self, checked: CheckedImport, *, dry_run: bool) -> tuple[ImportedItem, ...]:
        if dry_run:
            with self._reading as uow:
                return self._overwriting_plan(uow, checked).predicted()
        with self._writing as uow:
            self._lock(uow, checked.collection_id)
            plan = self._overwriting_plan(uow, checked)
            if not plan.writes_anything:
                return plan.items  # no commit: nothing changed, so no change is announced
            sources = plan.sources()
            # New reports first: an updated combined report or dashboard may show them.
            uow.reports.add_all(plan.reports, sources)
            uow.reports.update_all(plan.updated_reports)
            uow.dashboards.add_all(plan.dashboards, sources)
            uow.dashboards.update_all(plan.updated_dashboards)
            uow.commit()
        return plan.items

    def _overwriting_plan(
        self, uow: ReadingUnitOfWork | WritingUnitOfWork, checked: CheckedImport
    ) -> ImportPlan:
        matches = match_stored(checked, self._origins(uow, checked))
        report_ids = frozenset(m.id for m in matches.values() if m.entity_type.is_report)
        dashboard_ids = frozenset(m.id for m in matches.values() if not m.entity_type.is_report)
        return plan_overwrite(
            checked,
            matches,
            uow.reports.get_many(report_ids),
            uow.dashboards.get_many(dashboard_ids),
            self._ids.new_id,
        )

    @staticmethod
    def _origins(
        uow: ReadingUnitOfWork | WritingUnitOfWork, checked: CheckedImport
    ) -> list[StoredOrigin]:
        target, ids = checked.collection_id, checked.ids
        return [
            *uow.reports.origins_in_collection(target, ids),
            *uow.dashboards.origins_in_collection(target, ids),
        ]

    @staticmethod
    def _lock(uow: WritingUnitOfWork, collection_id: str) -> None:
        """Holds the collection against other imports until the unit of work ends."""
        if uow.collections.lock(collection_id) is None:
            raise NotFound("collections", [collection_id])

    def _collection(self, collection_id: str) -> Collection:
        with self._reading as uow:
            collection = uow.collections.get(collection_id)
        if collection is None:
            raise NotFound("collections", [collection_id])
        return collection
