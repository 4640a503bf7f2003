"""The fields of one entity of an export file, each read with the problem it has named: what
`reader` builds entities from. Dashboards' tiles and filters are read here too."""

from __future__ import annotations

from domain.dashboard import Tile, TileType
from domain.definition import DefinitionRef
from domain.entity_type import EntityType
from domain.export_format.shape import kind
from domain.json_document import JsonDocument, JsonValue
from domain.limits import InputLimits

# Tile coordinates are stored as 32-bit integers, as Optimize's own DTOs hold them.
SMALLEST_COORDINATE = -(2**31)
LARGEST_COORDINATE = 2**31 - 1
NUL = "\x00"


class FieldReader:
    """Reads fields of one entity, collecting a problem for each bad one, worded with the
    entity's label (which improves as its ID and type are read)."""

    def __init__(self, position: int, limits: InputLimits) -> None:
        self._position = position
        self._limits = limits
        self._label = f"entity #{position + 1}"
        self.problems: list[str] = []
        self.limit: str | None = None
        """The `InputLimits` field a problem passed, if one did."""

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
            field, required_kind(value, "a non-empty string" if non_empty else "a string")
        )
        return None

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
            self._problem("tiles", required_kind(value, "an array"))
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
            self._problem(f"{where}.configuration", required_kind(configuration, "an object"))
            return None
        tile_type = self._tile_type(where, tile, tile_id)
        if tile_type is None or x is None or y is None or width is None or height is None:
            return None
        return Tile(
            type=tile_type,
            report_id=tile_id if tile_type is TileType.OPTIMIZE_REPORT else None,
            x=x,
            y=y,
            width=width,
            height=height,
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
            self._problem(f"{where}.{field}", required_kind(value, "an object"))
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

    def _entity_type(self, item: dict[str, JsonValue]) -> EntityType | None:
        value = item.get("exportEntityType")
        if not isinstance(value, str):
            self._problem("exportEntityType", required_kind(value, "a string"))
            return None
        parsed = EntityType.parse(value)
        if parsed is None:
            known = ", ".join(t.value for t in EntityType)
            self._problem("exportEntityType", f'is "{value}", not one of {known}')
        return parsed

    def _definitions_ok(self, refs: tuple[DefinitionRef, ...]) -> bool:
        """The definition keys, versions and tenants a report names are looked up in storage:
        they must be strings a database can hold."""
        ok = True
        for position, ref in enumerate(refs):
            problem = self._definition_problem(ref)
            if problem is not None:
                self._problem(f"data.definitions[{position}]", problem)
                ok = False
        return ok

    def _definition_problem(self, ref: DefinitionRef) -> str | None:
        names = (ref.key, *ref.versions, *(t for t in ref.tenant_ids if t is not None))
        if any(not n for n in names):
            return "names an empty key, version or tenant (null means no tenant)"
        if any(NUL in n for n in names):
            return "names a key, version or tenant with a NUL character"
        if any(len(n) > self._limits.max_id_length for n in names):
            self.limit = "max_id_length"
            return (
                f"names a key, version or tenant longer than {self._limits.max_id_length} "
                "characters"
            )
        return None

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


def required_kind(value: object, expected: str) -> str:
    if value is None:
        return f"is missing; it must be {expected}"
    if value == "":
        return f"is empty; it must be {expected}"
    return f"must be {expected}, not {kind(value)}"


def _show(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else kind(value)
