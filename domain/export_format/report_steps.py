"""The steps of the two single-report indices (MIGRATIONS.md §3.1 up, §6 down), one pair per
version, up and down side by side. Each changes the entity it is given in place (the chain hands
it a private copy), checks the shape before it changes anything, and so is idempotent: an entity
already in the newer shape passes unchanged. Down returns what the older format cannot hold."""

from __future__ import annotations

import uuid

from domain.export_format.shape import (
    Entity,
    Loss,
    StepInputInvalid,
    arr,
    configuration_of,
    data_of,
    ensure,
    kind,
    obj,
)
from domain.json_document import JsonValue

# --- 3.4: process and decision 5 -> 6 -----------------------------------------------------------

_EXECUTION_STATE_FILTERS = {
    "completed": "completedOrCanceledFlowNodesOnly",
    "running": "runningFlowNodesOnly",
    "canceled": "canceledFlowNodesOnly",
}
_FILTER_EXECUTION_STATES = {f: s for s, f in _EXECUTION_STATE_FILTERS.items()}
_SINGLE_TO_LIST = (
    ("aggregationType", "aggregationTypes"),
    ("userTaskDurationTime", "userTaskDurationTimes"),
)


def _column_groups(decision: bool) -> tuple[str, ...]:
    return (
        ("instanceProps", "inputVariables", "outputVariables")
        if decision
        else ("instanceProps", "variables")
    )


def up_6(entity: Entity, *, decision: bool) -> None:
    data = data_of(entity)
    view = obj(data.get("view"), "data.view")
    configuration = configuration_of(data)
    if configuration is not None:
        _execution_state_up(data, view, configuration)
        for single, listed in _SINGLE_TO_LIST:
            if single in configuration:
                value = configuration.pop(single)
                configuration[listed] = [] if value is None else [value]
        _column_order_up(configuration, decision=decision)
    if view is not None and "property" in view:
        value = view.pop("property")
        view["properties"] = [] if value is None else [value]


def _execution_state_up(
    data: dict[str, JsonValue],
    view: dict[str, JsonValue] | None,
    configuration: dict[str, JsonValue],
) -> None:
    state = configuration.pop("flowNodeExecutionState", None)
    filter_type = _EXECUTION_STATE_FILTERS.get(state) if isinstance(state, str) else None
    if filter_type and view is not None and view.get("entity") in ("userTask", "flowNode"):
        filters = arr(data.get("filter"), "data.filter")
        new_filter: JsonValue = {"type": filter_type, "filterLevel": "view", "data": None}
        data["filter"] = [*(filters or []), new_filter]


def _column_order_up(configuration: dict[str, JsonValue], *, decision: bool) -> None:
    if "columnOrder" not in configuration:
        return
    old_order = obj(configuration.pop("columnOrder"), "data.configuration.columnOrder") or {}
    order: list[JsonValue] = []
    for group in _column_groups(decision):
        where = f"data.configuration.columnOrder.{group}"
        order.extend(arr(old_order.get(group), where) or [])
    columns = obj(configuration.get("tableColumns"), "data.configuration.tableColumns")
    configuration["tableColumns"] = {**(columns or {}), "columnOrder": order}


def down_6(entity: Entity, *, decision: bool) -> list[Loss]:
    losses: list[Loss] = []
    data = data_of(entity)
    view = obj(data.get("view"), "data.view")
    configuration = configuration_of(data)
    if configuration is not None:
        for single, listed in _SINGLE_TO_LIST:
            if listed in configuration:
                values = arr(configuration.pop(listed), f"data.configuration.{listed}") or []
                if len(values) > 1:
                    where = f"data.configuration.{listed}"
                    losses.append(Loss(where, f"{len(values)} values; the format holds one"))
                configuration[single] = values[0] if values else None
        columns = obj(configuration.get("tableColumns"), "data.configuration.tableColumns")
        if columns is not None and "columnOrder" in columns:
            columns = dict(columns)
            where = "data.configuration.tableColumns.columnOrder"
            order = arr(columns.pop("columnOrder"), where) or []
            configuration["tableColumns"] = columns
            configuration["columnOrder"] = {
                g: list(order) if g == "instanceProps" else [] for g in _column_groups(decision)
            }
        if view is not None and view.get("entity") in ("userTask", "flowNode"):
            losses.extend(_execution_state_down(data, configuration))
    if view is not None and "properties" in view:
        values = arr(view.pop("properties"), "data.view.properties") or []
        if len(values) > 1:
            text = f"{len(values)} view properties; the format holds one"
            losses.append(Loss("data.view.properties", text))
        view["property"] = values[0] if values else None
    return losses


def _execution_state_down(
    data: dict[str, JsonValue], configuration: dict[str, JsonValue]
) -> list[Loss]:
    filters = arr(data.get("filter"), "data.filter") or []
    states = [
        f
        for f in filters
        if isinstance(f, dict)
        and f.get("type") in _FILTER_EXECUTION_STATES
        and f.get("filterLevel") == "view"
    ]
    if not states:
        return []
    chosen = states[0]
    assert isinstance(chosen, dict)  # noqa: S101 - filtered above
    configuration["flowNodeExecutionState"] = _FILTER_EXECUTION_STATES[str(chosen["type"])]
    data["filter"] = [f for f in filters if not any(f is s for s in states)]
    if len(states) > 1:
        return [Loss("data.filter", f"{len(states)} flow-node state filters; the format holds one")]
    return []


# --- 3.5: process and decision 6 -> 7 -----------------------------------------------------------

_IDENTIFIERS = uuid.UUID("5b0a7c1e-2f4d-4c8e-9a3b-6d1e8f2c4a70")


def _legacy_fields(decision: bool) -> tuple[str, str, str]:
    prefix = "decision" if decision else "process"
    return f"{prefix}DefinitionKey", f"{prefix}DefinitionName", f"{prefix}DefinitionVersions"


def up_7(entity: Entity, *, decision: bool) -> None:
    data = data_of(entity)
    filters = arr(data.get("filter"), "data.filter")
    applied = _definitions_up(entity, data, decision=decision)
    for position, entry in enumerate(filters or []):
        if not isinstance(entry, dict):
            text = f"must be an object, not {kind(entry)}"
            raise StepInputInvalid(f"data.filter[{position}]", text)
        if "appliedTo" not in entry:
            entry["appliedTo"] = [applied]
        level = entry.get("filterLevel")
        if isinstance(level, str):
            entry["filterLevel"] = level.lower()
    configuration = configuration_of(data)
    if not decision and configuration is not None and "hiddenNodes" in configuration:
        where = "data.configuration.hiddenNodes"
        hidden = obj(configuration.pop("hiddenNodes"), where)
        keys = hidden.get("keys") if hidden else None
        if hidden and hidden.get("active") is True and isinstance(keys, list) and keys:
            executed: JsonValue = {
                "type": "executedFlowNodes",
                "data": {"operator": "not in", "values": keys},
                "filterLevel": "view",
                "appliedTo": [applied],
            }
            data["filter"] = [*(filters or []), executed]


def _definitions_up(entity: Entity, data: dict[str, JsonValue], *, decision: bool) -> str:
    """Moves the one definition into `definitions`; answers what its filters apply to."""
    key_field, name_field, versions_field = _legacy_fields(decision)
    applied = "all"
    if "definitions" in data:
        definitions = arr(data.get("definitions"), "data.definitions") or []
        if len(definitions) == 1 and isinstance(definitions[0], dict):
            identifier = definitions[0].get("identifier")
            applied = identifier if isinstance(identifier, str) else "all"
    else:
        key = data.get(key_field)
        if key is not None and not isinstance(key, str):
            raise StepInputInvalid(f"data.{key_field}", f"must be a string, not {kind(key)}")
        data["definitions"] = []
        if key:
            # Optimize drew a random UUID; a stable one keeps a conversion repeatable.
            applied = str(uuid.uuid5(_IDENTIFIERS, f"{entity.get('id')}/{key}"))
            tenants = data.get("tenantIds")
            data["definitions"] = [
                {
                    "identifier": applied,
                    "key": key,
                    "name": data.get(name_field),
                    "displayName": None,
                    "versions": data.get(versions_field),
                    "tenantIds": tenants if tenants is not None else [None],
                }
            ]
    for field in (key_field, name_field, versions_field, "tenantIds"):
        data.pop(field, None)
    return applied


def down_7(entity: Entity, *, decision: bool) -> list[Loss]:
    losses: list[Loss] = []
    data = data_of(entity)
    if "definitions" not in data:
        return losses
    key_field, name_field, versions_field = _legacy_fields(decision)
    definitions = arr(data.pop("definitions"), "data.definitions") or []
    if len(definitions) > 1:
        losses.append(
            Loss("data.definitions", f"{len(definitions)} definitions; the format holds one")
        )
    first = obj(definitions[0], "data.definitions[0]") if definitions else None
    identifier = first.get("identifier") if first else None
    if first is not None:
        display = first.get("displayName")
        if display is not None and display != first.get("name"):
            losses.append(
                Loss("data.definitions[0].displayName", f'"{display}" has no place in the format')
            )
    data[key_field] = first.get("key") if first else None
    data[name_field] = first.get("name") if first else None
    data[versions_field] = first.get("versions") if first else []
    data["tenantIds"] = first.get("tenantIds") if first else []
    for position, entry in enumerate(arr(data.get("filter"), "data.filter") or []):
        if isinstance(entry, dict) and "appliedTo" in entry:
            applied = entry.pop("appliedTo")
            if len(definitions) <= 1 and applied not in (["all"], [identifier]):
                losses.append(
                    Loss(f"data.filter[{position}].appliedTo", "applies to only some definitions")
                )
    return losses


# --- 3.6: process and decision 7 -> 8 -----------------------------------------------------------

_DEFAULT_VISUALIZATIONS: JsonValue = {"frequency": "bar", "duration": "line"}


def _default_visualizations() -> JsonValue:
    return {"frequency": "bar", "duration": "line"}


def up_8(entity: Entity) -> None:
    configuration = configuration_of(data_of(entity))
    if configuration is not None:
        ensure(configuration, "measureVisualizations", default=_default_visualizations())
        ensure(configuration, "stackedBar", default=False)


def down_8(entity: Entity) -> list[Loss]:
    configuration = configuration_of(data_of(entity))
    if configuration is None:
        return []
    losses: list[Loss] = []
    for flag in ("stackedBar", "logScale"):
        if configuration.pop(flag, None) is True:
            losses.append(Loss(f"data.configuration.{flag}", "is true"))
    shown = configuration.pop("measureVisualizations", None)
    if shown is not None and shown != _DEFAULT_VISUALIZATIONS:
        losses.append(
            Loss("data.configuration.measureVisualizations", "is not the default bar and line")
        )
    return losses


# --- 3.7 fix-ups and 3.8: process and decision 8 -> 9 ---------------------------------------------

_DATE_FILTERS = {"startDate": "instanceStartDate", "endDate": "instanceEndDate"}


def _aggregation_object(name: str) -> JsonValue:
    if name == "median":
        return {"type": "percentile", "value": 50.0}
    return {"type": name, "value": None}


def rename_date_filters(filters: list[JsonValue] | None, names: dict[str, str]) -> None:
    for entry in filters or []:
        if isinstance(entry, dict):
            filter_type = entry.get("type")
            if isinstance(filter_type, str) and filter_type in names:
                entry["type"] = names[filter_type]


def _aggregations(configuration: dict[str, JsonValue]) -> list[JsonValue] | None:
    values = arr(configuration.get("aggregationTypes"), "data.configuration.aggregationTypes")
    for position, value in enumerate(values or []):
        if not isinstance(value, str | dict):
            raise StepInputInvalid(
                f"data.configuration.aggregationTypes[{position}]",
                f"must be a string or an object, not {kind(value)}",
            )
    return values


def up_9(entity: Entity) -> None:
    data = data_of(entity)
    rename_date_filters(arr(data.get("filter"), "data.filter"), _DATE_FILTERS)
    configuration = configuration_of(data)
    if configuration is None:
        return
    ensure(configuration, "logScale", default=False)
    values = _aggregations(configuration)
    if values:
        configuration["aggregationTypes"] = [
            _aggregation_object(v) if isinstance(v, str) else v for v in values
        ]


def down_9(entity: Entity, *, decision: bool) -> list[Loss]:
    data = data_of(entity)
    losses: list[Loss] = []
    if not decision and data.pop("managementReport", None) is True:
        losses.append(Loss("data.managementReport", "is true"))
    configuration = configuration_of(data)
    if configuration is None:
        return losses
    losses.extend(_aggregations_down(configuration))
    if configuration.pop("horizontalBar", None) is True:
        losses.append(Loss("data.configuration.horizontalBar", "is true"))
    target = obj(configuration.get("targetValue"), "data.configuration.targetValue")
    if target is not None:
        if target.pop("isKpi", None) is True:
            losses.append(Loss("data.configuration.targetValue.isKpi", "is true"))
        for path, holder in _below_flags(target):
            if holder.pop("isBelow", None) is True:
                losses.append(Loss(f"data.configuration.targetValue.{path}.isBelow", "is true"))
    return losses


def _aggregations_down(configuration: dict[str, JsonValue]) -> list[Loss]:
    values = _aggregations(configuration)
    if not values:
        return []
    losses: list[Loss] = []
    strings: list[JsonValue] = []
    for position, value in enumerate(values):
        if not isinstance(value, dict):
            strings.append(value)
            continue
        name, number = value.get("type"), value.get("value")
        if name == "percentile" and number == 50:
            strings.append("median")
        elif name == "percentile" or not isinstance(name, str):
            where = f"data.configuration.aggregationTypes[{position}]"
            losses.append(Loss(where, f"the percentile {number} (only the median)"))
        else:
            strings.append(name)
    configuration["aggregationTypes"] = strings
    return losses


def _below_flags(target: dict[str, JsonValue]) -> list[tuple[str, dict[str, JsonValue]]]:
    found: list[tuple[str, dict[str, JsonValue]]] = []
    duration = target.get("durationProgress")
    inner = duration.get("target") if isinstance(duration, dict) else None
    if isinstance(inner, dict):
        found.append(("durationProgress.target", inner))
    count = target.get("countProgress")
    if isinstance(count, dict):
        found.append(("countProgress", count))
    return found


# --- 3.9 fix-ups (both), 3.10 (process 9 -> 10), 3.11 (decision 9 -> 10) --------------------------


def up_3_9_fixups(entity: Entity, *, decision: bool) -> None:
    data = data_of(entity)
    configuration = configuration_of(data)
    if configuration is not None:
        target = obj(configuration.get("targetValue"), "data.configuration.targetValue")
        if target is not None:
            ensure(target, "isKpi", default=False)
            for _, holder in _below_flags(target):
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
