"""The contract's rules for a dashboard's `availableFilters` (import check 7)."""

from __future__ import annotations

from collections import Counter

from domain.json_document import JsonValue

SINGLE_USE_FILTERS = ("instanceStartDate", "instanceEndDate", "state")
IDENTITY_FILTERS = ("assignee", "candidateGroup")
FILTER_TYPES = frozenset({*SINGLE_USE_FILTERS, *IDENTITY_FILTERS, "variable"})
VARIABLE_TYPES = frozenset({"string", "short", "long", "double", "integer", "boolean", "date"})
IDENTITY_OPERATORS = frozenset({"in", "not in"})


def filter_problems(filters: JsonValue) -> list[str]:
    """Everything wrong with a dashboard's filters, each naming the filter by position and type.

    boardport keeps no process-instance data, so a variable filter is not checked against the
    variables of any instance (Optimize #55766 refuses every variable filter for that reason).
    """
    if not isinstance(filters, list):
        return ["availableFilters must be an array"]
    problems: list[str] = []
    seen: Counter[str] = Counter()
    for position, item in enumerate(filters):
        where = f"availableFilters[{position}]"
        if not isinstance(item, dict):
            problems.append(f"{where} must be an object")
            continue
        filter_type = item.get("type")
        if not isinstance(filter_type, str) or filter_type not in FILTER_TYPES:
            known = ", ".join(sorted(FILTER_TYPES))
            problems.append(f"{where} has type {_shown(filter_type)}, not one of {known}")
            continue
        where = f"{where} ({filter_type})"
        data = item.get("data")
        if not isinstance(data, dict):
            problems.append(f"{where} needs a data object")
            continue
        if filter_type in SINGLE_USE_FILTERS:
            seen[filter_type] += 1
            if seen[filter_type] == 2:
                problems.append(f"{where} repeats a filter a dashboard may have only once")
        elif filter_type in IDENTITY_FILTERS:
            problems.extend(_identity_problems(where, filter_type, data, seen))
        else:
            problems.extend(_variable_problems(where, data))
    return problems


def _identity_problems(
    where: str, filter_type: str, data: dict[str, JsonValue], seen: Counter[str]
) -> list[str]:
    operator = data.get("operator")
    if operator not in IDENTITY_OPERATORS:
        return [f'{where} needs operator "in" or "not in", not {_shown(operator)}']
    seen[f"{filter_type} {operator}"] += 1
    if seen[f"{filter_type} {operator}"] == 2:
        return [f'{where} repeats the operator "{operator}", which may appear once']
    return []


def _variable_problems(where: str, data: dict[str, JsonValue]) -> list[str]:
    problems = []
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where} needs a variable name")
    variable_type = data.get("type")
    if not isinstance(variable_type, str) or variable_type.lower() not in VARIABLE_TYPES:
        known = ", ".join(sorted(VARIABLE_TYPES))
        problems.append(f"{where} has variable type {_shown(variable_type)}, not one of {known}")
    return problems


def _shown(value: JsonValue) -> str:
    return f'"{value}"' if isinstance(value, str) else "nothing" if value is None else str(value)
