"""Reads the export-file format, as Optimize writes it and as clients concatenate it, into domain
entities. This is check 2 of the import contract: every problem names the entity and the field.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from domain.dashboard import Dashboard, Tile, TileType
from domain.definition import DefinitionRef, definition_refs
from domain.entity_type import EntityType
from domain.errors import ImportFileInvalid
from domain.export_format.chain import has_legacy_shape, migrate_up
from domain.export_format.releases import LATEST, OLDEST, format_label, is_supported
from domain.export_format.shape import StepInputInvalid, kind
from domain.json_document import JsonDocument, JsonValue
from domain.limits import InputLimits
from domain.report import Report

MAX_LISTED_PROBLEMS = 20
# Tile coordinates are stored as 32-bit integers, as Optimize's own DTOs hold them.
SMALLEST_COORDINATE = -(2**31)
LARGEST_COORDINATE = 2**31 - 1
NUL = "\x00"


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
    document: JsonValue,
    limits: InputLimits = InputLimits(),  # noqa: B008 - an immutable value
) -> tuple[FileEntry, ...]:
    """Every entity of the file in file order. A single object counts as a one-element list.
    Raises ImportFileInvalid naming each malformed entity and field."""
    items: Sequence[JsonValue]
    if isinstance(document, dict):
        items = [document]
    elif isinstance(document, list):
        items = document
    else:
        raise ImportFileInvalid("The import file must be a JSON array of exported entities.")
    if len(items) > limits.max_import_entities:
        raise ImportFileInvalid(
            f"The import file holds {len(items)} entities; one import may hold at most "
            f"{limits.max_import_entities}.",
            limit="max_import_entities",
        )
    entries: list[FileEntry] = []
    problems: list[str] = []
    limit: str | None = None
    for position, item in enumerate(items):
        reader = _EntityReader(position, item, limits)
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


class _EntityReader:
    def __init__(self, position: int, item: JsonValue, limits: InputLimits) -> None:
        self._position = position
        self._item = item
        self._limits = limits
        self._label = f"entity #{position + 1}"
        self.problems: list[str] = []
        self.limit: str | None = None
        """The `InputLimits` field a problem passed, if one did."""

    def read(self) -> FileEntry | None:
        item = self._item
        if not isinstance(item, dict):
            self._problem(None, f"must be an object, not {kind(item)}")
            return None
        entity_id = self._string(item, "id", required=True, non_empty=True)
        if entity_id is not None and len(entity_id) > self._limits.max_id_length:
            self._problem("id", f"is longer than {self._limits.max_id_length} characters")
            entity_id = None
        if entity_id:
            self._label = f'entity #{self._position + 1} (id "{entity_id}")'
        entity_type = self._entity_type(item)
        if entity_id and entity_type:
            self._label = describe(entity_type, entity_id)
        name = self._string(item, "name", required=True)
        if name is not None and len(name) > self._limits.max_name_length:
            self._problem(
                "name",
                f"has {len(name)} characters; at most {self._limits.max_name_length} are allowed",
            )
            name = None
        version = self._version(item)
        if entity_type is None or entity_id is None or name is None:
            return None
        migrated = self._migrated(entity_type, item, version)
        if migrated is None:
            return None
        item, version, read_as = migrated
        description = self._string(item, "description", required=False)
        collection_id = self._string(item, "collectionId", required=False)
        if entity_type is EntityType.DASHBOARD:
            tiles = self._tiles(item)
            filters = self._filters(item)
            instant = item.get("instantPreviewDashboard") is True
            if tiles is None or filters is None:
                return None
            dashboard = Dashboard(entity_id, name, description, collection_id, tiles, filters)
            return FileEntry(dashboard, version, instant_preview_dashboard=instant, read_as=read_as)
        data = item.get("data")
        if not isinstance(data, dict):
            self._problem("data", _required_kind(data, "an object"))
            return None
        if entity_type is EntityType.COMBINED_REPORT and not self._combined_children_ok(data):
            return None
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
        return FileEntry(report, version, refs=refs, read_as=read_as)

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
                return migrated, current, format_label(entity_type, version)
            return migrate_up(entity_type, item, OLDEST.version_of(entity_type)), version, None
        except StepInputInvalid as invalid:
            self._problem(invalid.field, invalid.text)
            return None

    def _definitions_ok(self, refs: tuple[DefinitionRef, ...]) -> bool:
        """The definition keys, versions and tenants a report names are looked up in storage:
        they must be strings a database can hold."""
        ok = True
        for position, ref in enumerate(refs):
            names = (ref.key, *ref.versions, *(t for t in ref.tenant_ids if t is not None))
            if any(not n for n in names):
                self._problem(
                    f"data.definitions[{position}]",
                    "names an empty key, version or tenant (null means no tenant)",
                )
                ok = False
            elif any(NUL in n for n in names):
                self._problem(
                    f"data.definitions[{position}]",
                    "names a key, version or tenant with a NUL character",
                )
                ok = False
            elif any(len(n) > self._limits.max_id_length for n in names):
                self._problem(
                    f"data.definitions[{position}]",
                    f"names a key, version or tenant longer than {self._limits.max_id_length} "
                    "characters",
                )
                self.limit = "max_id_length"
                ok = False
        return ok

    def _problem(self, field: str | None, text: str) -> None:
        where = f"{self._label}" if field is None else f"{self._label}, field '{field}'"
        self.problems.append(f"{where} {text}")

    def _string(
        self, item: dict[str, JsonValue], field: str, *, required: bool, non_empty: bool = False
    ) -> str | None:
        value = item.get(field)
        if isinstance(value, str) and NUL in value:
            self._problem(field, "contains a NUL character, which no database stores")
            return None
        if isinstance(value, str) and (value or not non_empty):
            return value
        if value is None and not required:
            return None
        self._problem(
            field, _required_kind(value, "a non-empty string" if non_empty else "a string")
        )
        return None

    def _entity_type(self, item: dict[str, JsonValue]) -> EntityType | None:
        value = item.get("exportEntityType")
        if not isinstance(value, str):
            self._problem("exportEntityType", _required_kind(value, "a string"))
            return None
        parsed = EntityType.parse(value)
        if parsed is None:
            known = ", ".join(t.value for t in EntityType)
            self._problem("exportEntityType", f'is "{value}", not one of {known}')
        return parsed

    def _version(self, item: dict[str, JsonValue]) -> int | None:
        value = item.get("sourceIndexVersion")
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self._problem("sourceIndexVersion", f"must be an integer, not {kind(value)}")
        return None

    def _tiles(self, item: dict[str, JsonValue]) -> tuple[Tile, ...] | None:
        value = item.get("tiles")
        if not isinstance(value, list):
            self._problem("tiles", _required_kind(value, "an array"))
            return None
        tiles = [self._tile(f"tiles[{i}]", t) for i, t in enumerate(value)]
        if any(t is None for t in tiles):
            return None
        return tuple(t for t in tiles if t is not None)

    def _tile(self, where: str, tile: JsonValue) -> Tile | None:
        if not isinstance(tile, dict):
            self._problem(where, f"must be an object, not {kind(tile)}")
            return None
        tile_id = tile.get("id")
        if tile_id is None:
            tile_id = ""
        if not isinstance(tile_id, str):
            self._problem(f"{where}.id", f"must be a string, not {kind(tile_id)}")
            return None
        x, y = self._pair(where, tile, "position", ("x", "y"))
        width, height = self._pair(where, tile, "dimensions", ("width", "height"))
        configuration = tile.get("configuration")
        if configuration is not None and not isinstance(configuration, dict):
            self._problem(f"{where}.configuration", _required_kind(configuration, "an object"))
            return None
        tile_type = self._tile_type(where, tile, tile_id)
        if tile_type is None or None in (x, y, width, height):
            return None
        return Tile(
            type=tile_type,
            report_id=tile_id if tile_type is TileType.OPTIMIZE_REPORT else None,
            x=x,  # type: ignore[arg-type]
            y=y,  # type: ignore[arg-type]
            width=width,  # type: ignore[arg-type]
            height=height,  # type: ignore[arg-type]
            configuration=None if configuration is None else JsonDocument.from_value(configuration),
        )

    def _tile_type(self, where: str, tile: dict[str, JsonValue], tile_id: str) -> TileType | None:
        raw_type = tile.get("type")
        try:
            tile_type = TileType(str(raw_type).lower()) if isinstance(raw_type, str) else None
        except ValueError:
            tile_type = None
        if tile_type is None:
            known = ", ".join(t.value for t in TileType)
            self._problem(f"{where}.type", f"must be one of {known}, not {_show(raw_type)}")
            return None
        if tile_type is TileType.OPTIMIZE_REPORT and not tile_id:
            self._problem(f"{where}.id", "must name a report for a tile of type optimize_report")
            return None
        return tile_type

    def _pair(
        self, where: str, tile: dict[str, JsonValue], field: str, keys: tuple[str, str]
    ) -> tuple[int | None, int | None]:
        value = tile.get(field)
        if not isinstance(value, dict):
            self._problem(f"{where}.{field}", _required_kind(value, "an object"))
            return None, None
        return self._int(f"{where}.{field}.{keys[0]}", value.get(keys[0])), self._int(
            f"{where}.{field}.{keys[1]}", value.get(keys[1])
        )

    def _int(self, where: str, value: JsonValue) -> int | None:
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        if number is None:
            self._problem(where, f"must be a whole number, not {kind(value)}")
        elif not SMALLEST_COORDINATE <= number <= LARGEST_COORDINATE:
            self._problem(
                where, f"is {number}, outside {SMALLEST_COORDINATE} to {LARGEST_COORDINATE}"
            )
            number = None
        return number

    def _filters(self, item: dict[str, JsonValue]) -> JsonDocument | None:
        value = item.get("availableFilters")
        if value is None:
            return JsonDocument.from_value([])
        if not isinstance(value, list):
            self._problem("availableFilters", f"must be an array, not {kind(value)}")
            return None
        return JsonDocument.from_value(value)

    def _combined_children_ok(self, data: dict[str, JsonValue]) -> bool:
        entries = data.get("reports")
        if entries is None:
            return True
        if not isinstance(entries, list):
            self._problem("data.reports", f"must be an array, not {kind(entries)}")
            return False
        ok = True
        for i, entry in enumerate(entries):
            child = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(child, str) or not child:
                self._problem(f"data.reports[{i}].id", "must name a report")
                ok = False
        return ok


def _required_kind(value: object, expected: str) -> str:
    if value is None:
        return f"is missing; it must be {expected}"
    if value == "":
        return f"is empty; it must be {expected}"
    return f"must be {expected}, not {kind(value)}"


def _show(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else kind(value)


def iter_reports(entries: Sequence[FileEntry]) -> Iterator[Report]:
    return (e.entity for e in entries if isinstance(e.entity, Report))


def iter_dashboards(entries: Sequence[FileEntry]) -> Iterator[Dashboard]:
    return (e.entity for e in entries if isinstance(e.entity, Dashboard))
