from __future__ import annotations

import pytest

from domain.dashboard_filters import filter_problems
from domain.json_document import JsonValue


def variable(name: JsonValue = "amount", variable_type: JsonValue = "Double") -> JsonValue:
    return {"type": "variable", "data": {"name": name, "type": variable_type, "data": {}}}


def identity(kind: str, operator: JsonValue) -> JsonValue:
    return {"type": kind, "data": {"operator": operator, "values": ["demo"]}}


VALID: list[JsonValue] = [
    {"type": "instanceStartDate", "data": {"defaultValues": None}},
    {"type": "instanceEndDate", "data": {}},
    {"type": "state", "data": {}},
    identity("assignee", "in"),
    identity("assignee", "not in"),
    identity("candidateGroup", "in"),
    variable(),
    variable("approved", "Boolean"),
]


def test_one_of_each_kind_and_any_number_of_variables_is_fine() -> None:
    assert filter_problems(VALID) == []


@pytest.mark.parametrize(
    ("filters", "problem"),
    [
        ([{"type": "state", "data": {}}, {"type": "state", "data": {}}], "[1] (state) repeats"),
        ([{"type": "state"}], "needs a data object"),
        ([{"type": "state", "data": None}], "needs a data object"),
        ([identity("assignee", "in"), identity("assignee", "in")], 'repeats the operator "in"'),
        ([identity("candidateGroup", "like")], 'needs operator "in" or "not in"'),
        ([variable(name="")], "needs a variable name"),
        ([variable(name=None)], "needs a variable name"),
        ([variable(variable_type="Money")], 'variable type "Money"'),
        ([{"type": "priority", "data": {}}], 'has type "priority"'),
        (["state"], "must be an object"),
    ],
)
def test_each_rule_of_the_contract_is_enforced(filters: JsonValue, problem: str) -> None:
    problems = filter_problems(filters)
    assert len(problems) == 1
    assert problem in problems[0]
