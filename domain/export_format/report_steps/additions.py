"""3.9 to 3.11: the fields later releases added with a default (KPI and below flags, the
horizontal bar, management and instant-preview reports), the description every index gained,
and the renamed table columns."""

from __future__ import annotations

from domain.export_format.report_steps.measures import below_flags
from domain.export_format.shape import (
    Entity,
    Loss,
    arr,
    configuration_of,
    data_of,
    ensure,
    obj,
)

# --- 3.9 fix-ups (both), 3.10 (process 9 -> 10), 3.11 (decision 9 -> 10) --------------------------


def up_3_9_fixups(entity: Entity, *, decision: bool) -> None:
    data = data_of(entity)
    configuration = configuration_of(data)
    if configuration is not None:
        target = obj(configuration.get("targetValue"), "data.configuration.targetValue")
        if target is not None:
            ensure(target, "isKpi", default=False)
            for _, holder in below_flags(target):
                ensure(holder, "isBelow", default=False)
        ensure(configuration, "horizontalBar", default=False)
    if not decision:
        ensure(data, "managementReport", default=False)


def process_up_10(entity: Entity) -> None:
    up_3_9_fixups(entity, decision=False)
    ensure(data_of(entity), "instantPreviewReport", default=False)


def process_down_10(entity: Entity) -> list[Loss]:
    if data_of(entity).pop("instantPreviewReport", None) is True:
        return [Loss("data.instantPreviewReport", "is true")]
    return []


def decision_up_10(entity: Entity) -> None:
    up_3_9_fixups(entity, decision=True)
    add_description(entity)


# --- 3.11: process 10 -> 11, and the description every index gained ---

_COLUMN_NAMES = {
    "numberOfUserTasks": "count:userTasks",
    "numberOfIncidents": "count:incidents",
    "numberOfOpenIncidents": "count:openIncidents",
}
_OLD_COLUMN_NAMES = {new: old for old, new in _COLUMN_NAMES.items()}


def add_description(entity: Entity) -> None:
    """Every index gained a description in 3.11; placed after the name, as Optimize writes it."""
    if "description" in entity:
        return
    moved = {k: entity.pop(k) for k in list(entity) if k not in ("id", "exportEntityType", "name")}
    entity["description"] = None
    entity.update(moved)


def drop_description(entity: Entity) -> list[Loss]:
    description = entity.pop("description", None)
    if isinstance(description, str) and description:
        return [Loss("description", f'"{_short(description)}" (descriptions exist from 3.11 on)')]
    return []


def _rename_columns(entity: Entity, names: dict[str, str]) -> None:
    configuration = configuration_of(data_of(entity))
    columns = (
        obj(configuration.get("tableColumns"), "data.configuration.tableColumns")
        if configuration
        else None
    )
    if columns is None:
        return
    for field in ("includedColumns", "excludedColumns", "columnOrder"):
        values = arr(columns.get(field), f"data.configuration.tableColumns.{field}")
        if values:
            columns[field] = [names.get(v, v) if isinstance(v, str) else v for v in values]


def process_up_11(entity: Entity) -> None:
    add_description(entity)
    _rename_columns(entity, _COLUMN_NAMES)


def process_down_11(entity: Entity) -> list[Loss]:
    _rename_columns(entity, _OLD_COLUMN_NAMES)
    return drop_description(entity)


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."
