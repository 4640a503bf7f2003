"""The dashboard index's steps (MIGRATIONS.md §3.3 up, §6 down) and the combined-report index's
one, up and down side by side; in place on the chain's private copy, shape-checked, idempotent."""

from __future__ import annotations

from domain.export_format.report_steps import add_description, drop_description, rename_date_filters
from domain.export_format.shape import Entity, Loss, StepInputInvalid, arr, kind, obj
from domain.json_document import JsonValue

_DATE_FILTERS = {"startDate": "instanceStartDate", "endDate": "instanceEndDate"}
_OLD_DATE_FILTERS = {new: old for old, new in _DATE_FILTERS.items()}
_DEFAULTS_ONLY = ("state", "startDate", "endDate", "instanceStartDate", "instanceEndDate")


def _filters(entity: Entity) -> list[JsonValue]:
    filters = arr(entity.get("availableFilters"), "availableFilters")
    if filters is None:
        filters = []
        entity["availableFilters"] = filters
    for position, entry in enumerate(filters):
        if not isinstance(entry, dict):
            raise StepInputInvalid(
                f"availableFilters[{position}]", f"must be an object, not {kind(entry)}"
            )
    return filters


# --- 3.5 fix-ups (same number) and 3.7: 4 -> 5 ---


def up_5(entity: Entity) -> None:
    filters = _filters(entity)
    for position, entry in enumerate(filters):
        assert isinstance(entry, dict)  # noqa: S101 - _filters checked it
        data = obj(entry.get("data"), f"availableFilters[{position}].data")
        if entry.get("type") in _DEFAULTS_ONLY:
            if data is None:
                entry["data"] = {"defaultValues": None}
            elif "defaultValues" not in data:
                data["defaultValues"] = None
        elif data is not None and "defaultValues" not in data:
            data["defaultValues"] = None
    rename_date_filters(filters, _DATE_FILTERS)


def down_5(entity: Entity) -> list[Loss]:
    rename_date_filters(_filters(entity), _OLD_DATE_FILTERS)
    return []


# --- 3.9: 5 -> 6, a restamp ---


def up_6(_entity: Entity) -> None:
    """The field 3.9 added (managementDashboard) is not exported: nothing changes."""


def down_6(_entity: Entity) -> list[Loss]:
    return []


# --- 3.10: 6 -> 7, reports become typed tiles ---

_TILE_KEYS = ("id", "position", "dimensions", "type", "configuration")


def up_7(entity: Entity) -> None:
    if "reports" in entity and "tiles" not in entity:
        legacy = arr(entity.get("reports"), "reports") or []
        tiles: list[JsonValue] = []
        for position, tile in enumerate(legacy):
            if not isinstance(tile, dict):
                raise StepInputInvalid(
                    f"reports[{position}]", f"must be an object, not {kind(tile)}"
                )
            tiles.append(_typed(tile, position))
        rebuilt: Entity = {}
        for key, value in entity.items():
            rebuilt["tiles" if key == "reports" else key] = tiles if key == "reports" else value
        entity.clear()
        entity.update(rebuilt)
    entity.setdefault("instantPreviewDashboard", False)


def _typed(tile: dict[str, JsonValue], position: int) -> dict[str, JsonValue]:
    configuration = obj(tile.get("configuration"), f"reports[{position}].configuration")
    tile_id = tile.get("id")
    typed = dict(tile)
    if configuration is not None and configuration.get("external") is not None:
        typed["type"] = "external_url"
    elif isinstance(tile_id, str) and tile_id.startswith(("http://", "https://")):
        # Some clients wrote an external tile's URL as its id.
        typed.update(id="", type="external_url", configuration={"external": tile_id})
    else:
        typed["type"] = "optimize_report"
    return {k: typed[k] for k in (*_TILE_KEYS, *typed) if k in typed}


def down_7(entity: Entity) -> list[Loss]:
    losses: list[Loss] = []
    if entity.pop("instantPreviewDashboard", None) is True:
        losses.append(Loss("instantPreviewDashboard", "is true"))
    if "tiles" not in entity:
        return losses
    reports: list[JsonValue] = []
    for position, tile in enumerate(arr(entity.get("tiles"), "tiles") or []):
        if not isinstance(tile, dict):
            raise StepInputInvalid(f"tiles[{position}]", f"must be an object, not {kind(tile)}")
        tile_type = tile.get("type")
        if tile_type == "text":
            losses.append(Loss(f"tiles[{position}]", "a text tile (text tiles exist from 3.10 on)"))
            continue
        legacy = {k: v for k, v in tile.items() if k != "type"}
        if tile_type == "external_url":
            legacy["id"] = ""
        reports.append(legacy)
    rebuilt: Entity = {}
    for key, value in entity.items():
        rebuilt["reports" if key == "tiles" else key] = reports if key == "tiles" else value
    entity.clear()
    entity.update(rebuilt)
    return losses


# --- 3.11: 7 -> 8, and combined reports 4 -> 5 ---


def up_8(entity: Entity) -> None:
    add_description(entity)


def down_8(entity: Entity) -> list[Loss]:
    return drop_description(entity)
