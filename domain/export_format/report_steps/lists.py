"""3.4 (process and decision 5 -> 6): single values become lists (aggregations, user-task
durations, view properties), the column order moves into `tableColumns`, and the flow-node
execution state becomes a view filter."""

from __future__ import annotations

from domain.export_format.shape import (
    Entity,
    Loss,
    arr,
    configuration_of,
    data_of,
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
