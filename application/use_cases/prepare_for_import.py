from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from application.ports.unit_of_work import WritingUnitOfWork
from domain.collection import Collection
from domain.definition import Definition
from domain.definitions_from_export import definitions_to_register, scope_needed
from domain.errors import NotFound
from domain.export_format.reader import FileEntry, read_export_file
from domain.import_plan import referenced_definitions
from domain.json_document import JsonValue
from domain.limits import InputLimits


@dataclass(frozen=True, slots=True)
class Preparation:
    registered: tuple[Definition, ...]
    collection: Collection | None
    widened: bool = False
    """Whether the collection's scope had to grow."""

    @property
    def wrote_anything(self) -> bool:
        return bool(self.registered) or self.widened


class PrepareForImport:
    """Makes a target ready for an export file in one step: registers every definition the
    file's reports name (with the XML they carry) and, given a collection, puts those
    definitions and their tenants in its scope. Running it twice changes nothing more."""

    def __init__(self, uow: WritingUnitOfWork, limits: InputLimits = InputLimits()) -> None:  # noqa: B008
        self._uow = uow
        self._limits = limits

    def __call__(self, document: JsonValue, collection_id: str | None = None) -> Preparation:
        entries = read_export_file(document, self._limits)
        with self._uow as uow:
            collection = None
            if collection_id is not None:
                collection = uow.collections.lock(collection_id)
                if collection is None:
                    raise NotFound("collections", [collection_id])
            preparation = prepare_in(uow, entries, collection)
            uow.commit()
        return preparation


def prepare_in(
    uow: WritingUnitOfWork, entries: Sequence[FileEntry], collection: Collection | None
) -> Preparation:
    """Registers, in the unit of work, the definitions the file's reports name that are not
    known yet, and widens the collection's scope (which the caller holds) for them."""
    keys = {(ref.type, ref.key) for ref in referenced_definitions(entries)}
    for definition_type, key in sorted(keys):
        uow.definitions.lock_key(definition_type, key)
    new = definitions_to_register(entries, uow.definitions.of_keys(keys))
    for definition in new:
        uow.definitions.save(definition)
    if collection is None:
        return Preparation(tuple(new), None)
    widened = collection.with_scope(scope_needed(entries))
    if widened != collection:
        uow.collections.save_scope(widened)
    return Preparation(tuple(new), widened, widened != collection)
