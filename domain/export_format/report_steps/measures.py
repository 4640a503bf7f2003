"""3.6 (process and decision 7 -> 8): measure visualizations and stacked bars; the 3.7 fix-ups
and 3.8 (8 -> 9): renamed date filters, aggregations as objects (percentiles), KPI flags."""

from __future__ import annotations

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
        for path, holder in below_flags(target):
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


def below_flags(target: dict[str, JsonValue]) -> list[tuple[str, dict[str, JsonValue]]]:
    found: list[tuple[str, dict[str, JsonValue]]] = []
    duration = target.get("durationProgress")
    inner = duration.get("target") if isinstance(duration, dict) else None
    if isinstance(inner, dict):
        found.append(("durationProgress.target", inner))
    count = target.get("countProgress")
    if isinstance(count, dict):
        found.append(("countProgress", count))
    return found
