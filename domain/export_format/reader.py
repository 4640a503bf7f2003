"""Reads the export-file format, as Optimize writes it and as clients concatenate it, into domain
entities. This is check 2 of the import contract: every problem names the entity and the field.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from domain.dashboard import Dashboard
from domain.definition import DefinitionRef, definition_refs
from domain.entity_type import EntityType
from domain.errors import ImportFileInvalid
from domain.export_format.chain import has_legacy_shape, migrate_up
from domain.export_format.field_reader import (
    LARGEST_COORDINATE,
    NUL,
    SMALLEST_COORDINATE,
    FieldReader,
    required_kind,
)
from domain.export_format.releases import LATEST, OLDEST, format_label, is_supported
from domain.export_format.shape import StepInputInvalid, kind
from domain.json_document import JsonDocument, JsonValue
from domain.limits import InputLimits
from domain.report import Report

__all__ = [
    "LARGEST_COORDINATE",
    "MAX_LISTED_PROBLEMS",
    "NUL",
    "SMALLEST_COORDINATE",
    "EntityStream",
    "FileEntry",
    "describe",
    "iter_dashboards",
    "iter_reports",
    "read_export_file",
]

MAX_LISTED_PROBLEMS = 20
_format_label = cache(format_label)  # asked for each entity of a file, of a few versions
FileItem = tuple[JsonValue, JsonDocument | None]
"""An entity of the file as parsed, and, when known, its `data` as a document whose text is
exactly what storing the parsed data writes (held where it lies rather than parsed)."""


class EntityStream(ABC):
    """An export file's top-level array, each entity parsed only when it is reached, so that a
    large file is never held as one parsed value. Iterating raises ImportFileInvalid, with the
    words of a whole-file parse, when the file turns out not to be strict JSON."""

    @abstractmethod
    def __iter__(self) -> Iterator[FileItem]: ...


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One entity of an export file, with what the file said about it beyond the entity."""

    entity: Report | Dashboard
    source_index_version: int | None
    """The version the entity has now: the current one when it was migrated up from an older
    release's format, else the number the file gave (which check 6 then refuses)."""
    instant_preview_dashboard: bool = False
    refs: tuple[DefinitionRef, ...] = ()
    """The definitions a report names, read once from its data."""
    read_as: str | None = None
    """The releases whose format the entity was read as, e.g. "3.6 to 3.7"; None when its
    number is one no supported release writes."""
    management: bool | None = None
    """Whether a report is a management report, read once from its data (None: not read)."""
    instant_preview: bool | None = None
    """Whether a report is an instant-preview report, read once (None: not read)."""

    @property
    def entity_type(self) -> EntityType:
        return self.entity.entity_type if isinstance(self.entity, Report) else EntityType.DASHBOARD

    @property
    def label(self) -> str:
        return describe(self.entity_type, self.entity.id)


def describe(entity_type: EntityType, entity_id: str) -> str:
    noun = "dashboard" if entity_type is EntityType.DASHBOARD else "report"
    return f'{noun} "{entity_id}"'


def read_export_file(
    document: JsonValue | EntityStream,
    limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
) -> tuple[FileEntry, ...]:
    """Every entity of the file in file order. A single object counts as a one-element list.
    Raises ImportFileInvalid naming each malformed entity and field."""
    entries: list[FileEntry] = []
    problems: list[str] = []
    limit: str | None = None
    pending = iter(_items(document))
    for position, (item, data) in enumerate(pending):
        if position == limits.max_import_entities:
            # Counted to the end: a file that is not JSON says so before it is counted.
            count = position + 1 + sum(1 for _ in pending)
            raise ImportFileInvalid(
                f"The import file holds {count} entities; one import may hold at most "
                f"{limits.max_import_entities}.",
                limit="max_import_entities",
            )
        reader = _EntityReader(position, item, limits, data)
        entry = reader.read()
        if reader.problems:
            problems.extend(reader.problems)
            limit = limit or reader.limit
        elif entry is not None:
            entries.append(entry)
    if problems:
        listed = problems[:MAX_LISTED_PROBLEMS]
        more = len(problems) - len(listed)
        suffix = f" (and {more} more)" if more else ""
        raise ImportFileInvalid("; ".join(listed) + suffix, limit=limit)
    return tuple(entries)


def _items(document: JsonValue | EntityStream) -> Iterable[FileItem]:
    if isinstance(document, EntityStream):
        return document
    if isinstance(document, dict):
        return [(document, None)]
    if isinstance(document, list):
        return ((value, None) for value in document)
    raise ImportFileInvalid("The import file must be a JSON array of exported entities.")


class _EntityReader(FieldReader):
    def __init__(
        self, position: int, item: JsonValue, limits: InputLimits, data: JsonDocument | None
    ) -> None:
        super().__init__(position, limits)
        self._item = item
        self._data = data

    def read(self) -> FileEntry | None:
        item = self._item
        if not isinstance(item, dict):
            self._problem(None, f"must be an object, not {kind(item)}")
            return None
        entity_id = self._id(item)
        entity_type = self._entity_type(item)
        if entity_id and entity_type:
            self._label = describe(entity_type, entity_id)
        name = self._name(item)
        version = self._version(item)
        if entity_type is None or entity_id is None or name is None:
            return None
        migrated = self._migrated(entity_type, item, version)
        if migrated is None:
            return None
        read, version, read_as = migrated
        if entity_type is EntityType.DASHBOARD:
            return self._dashboard(read, entity_id, name, version, read_as)
        return self._report(read, entity_type, (entity_id, name), version, read_as)

    def _id(self, item: dict[str, JsonValue]) -> str | None:
        entity_id = self._string(item, "id", required=True, non_empty=True)
        if entity_id is not None and len(entity_id) > self._limits.max_id_length:
            self._problem("id", f"is longer than {self._limits.max_id_length} characters")
            entity_id = None
        if entity_id:
            self._label = f'entity #{self._position + 1} (id "{entity_id}")'
        return entity_id

    def _name(self, item: dict[str, JsonValue]) -> str | None:
        name = self._string(item, "name", required=True)
        if name is not None and len(name) > self._limits.max_name_length:
            self._problem(
                "name",
                f"has {len(name)} characters; at most {self._limits.max_name_length} are allowed",
            )
            return None
        return name

    def _dashboard(
        self,
        item: dict[str, JsonValue],
        entity_id: str,
        name: str,
        version: int | None,
        read_as: str | None,
    ) -> FileEntry | None:
        description = self._string(item, "description", required=False)
        collection_id = self._string(item, "collectionId", required=False)
        tiles = self._tiles(item)
        filters = self._filters(item)
        instant = item.get("instantPreviewDashboard") is True
        if tiles is None or filters is None:
            return None
        dashboard = Dashboard(entity_id, name, description, collection_id, tiles, filters)
        return FileEntry(dashboard, version, instant_preview_dashboard=instant, read_as=read_as)

    def _report(
        self,
        item: dict[str, JsonValue],
        entity_type: EntityType,
        id_and_name: tuple[str, str],
        version: int | None,
        read_as: str | None,
    ) -> FileEntry | None:
        description = self._string(item, "description", required=False)
        collection_id = self._string(item, "collectionId", required=False)
        data = item.get("data")
        if not isinstance(data, dict):
            self._problem("data", required_kind(data, "an object"))
            return None
        if entity_type is EntityType.COMBINED_REPORT and not self._combined_children_ok(data):
            return None
        entity_id, name = id_and_name
        report = Report.from_data(
            report_id=entity_id,
            entity_type=entity_type,
            name=name,
            description=description,
            collection_id=collection_id,
            data=JsonDocument.from_value(data),
        )
        refs = definition_refs(report)
        if not self._definitions_ok(refs):
            return None
        flags = report.is_management, report.is_instant_preview
        if self._data is not None and data is self._original_data():
            # Held as where it lies in the file, not as the parsed value, which is let go.
            report = Report(entity_id, entity_type, name, description, collection_id, self._data,
                            report.child_ids)  # fmt: skip
        return FileEntry(report, version, refs=refs, read_as=read_as,
                         management=flags[0], instant_preview=flags[1])  # fmt: skip

    def _original_data(self) -> JsonValue:
        item = self._item
        return item.get("data") if isinstance(item, dict) else None

    def _migrated(
        self, entity_type: EntityType, item: dict[str, JsonValue], version: int | None
    ) -> tuple[dict[str, JsonValue], int | None, str | None] | None:
        """The entity in the current format (MIGRATIONS.md), its version now and the format it
        was read as. A number outside the supported range is kept, for check 6 to refuse; the
        entity is still read in its shape, so that check can name it."""
        supported = version is not None and is_supported(entity_type, version)
        if not supported and not has_legacy_shape(entity_type, item):
            return item, version, None
        try:
            if version is not None and supported:
                migrated = migrate_up(entity_type, item, version)
                current = LATEST.version_of(entity_type)
                return migrated, current, _format_label(entity_type, version)
            return migrate_up(entity_type, item, OLDEST.version_of(entity_type)), version, None
        except StepInputInvalid as invalid:
            self._problem(invalid.field, invalid.text)
            return None


def iter_reports(entries: Sequence[FileEntry]) -> Iterator[Report]:
    return (e.entity for e in entries if isinstance(e.entity, Report))


def iter_dashboards(entries: Sequence[FileEntry]) -> Iterator[Dashboard]:
    return (e.entity for e in entries if isinstance(e.entity, Dashboard))
