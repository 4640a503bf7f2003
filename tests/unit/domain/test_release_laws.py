"""The laws of MIGRATIONS.md §7, for generated entities and every pair of releases: down then
up, and up then down, give the entity back except for the table's losses; up twice is up once."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.entity_type import EntityType
from domain.export_format.chain import UnsupportedVersion, convert, migrate_down, migrate_up
from domain.export_format.releases import LATEST, OLDEST, release_named
from domain.export_format.shape import StepInputInvalid
from tests.release_strategies import Generated, below, entities, release_names


def normal(entity: dict[str, Any], release: str) -> dict[str, Any]:
    """What a trip through `release`'s format regenerates, named the same on both sides: below
    3.5 the identifiers of definitions (Optimize drew new ones) and a displayName equal to the
    name (the format has none)."""
    entity = copy.deepcopy(entity)
    data = entity.get("data")
    if isinstance(data, dict) and "definitions" in data and below(release, "3.5"):
        renamed = {}
        for position, definition in enumerate(data["definitions"]):
            renamed[definition["identifier"]] = f"def{position}"
            definition["identifier"] = f"def{position}"
            if definition["displayName"] == definition["name"]:
                definition["displayName"] = None
        for entry in data.get("filter", []):
            entry["appliedTo"] = [renamed.get(a, a) for a in entry.get("appliedTo", [])]
    return entity


def down_then_up(generated: Generated, release: str) -> tuple[dict[str, Any], list[Any]]:
    entity_type = EntityType(generated.entity_type)
    written: Any
    written, losses = migrate_down(entity_type, generated.entity, release_named(release))
    version = written["sourceIndexVersion"]
    return migrate_up(entity_type, written, version), losses


@settings(max_examples=150, deadline=None)
@given(generated=entities, release=release_names)
def test_down_then_up_gives_the_entity_back_unless_the_table_names_a_loss(
    generated: Generated, release: str
) -> None:
    back, losses = down_then_up(generated, release)
    assert bool(losses) == generated.loses_at(release), losses
    if not losses:
        assert normal(back, release) == normal(generated.entity, release)


@settings(max_examples=150, deadline=None)
@given(generated=entities, first=release_names, second=release_names)
def test_through_any_release_to_any_other_is_the_direct_conversion_when_nothing_is_lost(
    generated: Generated, first: str, second: str
) -> None:
    entity_type = EntityType(generated.entity_type)
    via = convert(entity_type, generated.entity, release_named(first))
    if via.losses:
        return
    direct = convert(entity_type, generated.entity, release_named(second))
    indirect = convert(entity_type, via.entity, release_named(second))
    assert normal(indirect.entity, first) == normal(direct.entity, first)
    assert [str(x) for x in indirect.losses] == [str(x) for x in direct.losses]


@settings(max_examples=150, deadline=None)
@given(generated=entities, release=release_names)
def test_up_twice_is_up_once(generated: Generated, release: str) -> None:
    entity_type = EntityType(generated.entity_type)
    written: Any
    written, _ = migrate_down(entity_type, generated.entity, release_named(release))
    version = written["sourceIndexVersion"]
    once: dict[str, Any] = migrate_up(entity_type, written, version)
    again = migrate_up(entity_type, dict(once, sourceIndexVersion=version), version)
    assert again == once
    assert migrate_up(entity_type, once, once["sourceIndexVersion"]) is once


@settings(max_examples=100, deadline=None)
@given(generated=entities, release=release_names)
def test_a_conversion_never_changes_what_it_was_given(generated: Generated, release: str) -> None:
    before = copy.deepcopy(generated.entity)
    down_then_up(generated, release)
    assert generated.entity == before


# Every key a step reads, so that generated input reaches the steps' shape checks.
FIELD_NAMES = (
    "data", "configuration", "view", "filter", "definitions", "aggregationTypes", "aggregationType",
    "userTaskDurationTime", "columnOrder", "tableColumns", "flowNodeExecutionState", "property",
    "properties", "entity", "processDefinitionKey", "decisionDefinitionKey", "tenantIds",
    "hiddenNodes", "active", "keys", "type", "value", "targetValue", "durationProgress", "target",
    "countProgress", "isKpi", "includedColumns", "availableFilters", "reports", "tiles", "id",
    "external", "description", "instantPreviewDashboard", "instanceProps", "variables",
    "identifier", "appliedTo", "filterLevel", "measureVisualizations", "stackedBar", "logScale",
)  # fmt: skip

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from(["", "avg", "median", "startDate", "http://x"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(FIELD_NAMES), inner, max_size=4)
    ),
    max_leaves=12,
)


# Where the steps read: each generated entity puts random JSON at a few of these paths.
STEP_PATHS = (
    "data.configuration.aggregationTypes",
    "data.configuration.aggregationType",
    "data.configuration.userTaskDurationTimes",
    "data.configuration.tableColumns.includedColumns",
    "data.configuration.tableColumns.columnOrder",
    "data.configuration.tableColumns",
    "data.configuration.columnOrder.instanceProps",
    "data.configuration.columnOrder",
    "data.configuration.targetValue.durationProgress.target",
    "data.configuration.targetValue.countProgress",
    "data.configuration.targetValue",
    "data.configuration.hiddenNodes.keys",
    "data.configuration.hiddenNodes",
    "data.configuration.flowNodeExecutionState",
    "data.configuration.measureVisualizations",
    "data.configuration",
    "data.view.property",
    "data.view.properties",
    "data.view",
    "data.filter",
    "data.definitions",
    "data.processDefinitionKey",
    "data.decisionDefinitionKey",
    "data.reports",
    "data",
    "availableFilters",
    "reports",
    "tiles",
    "description",
)


odd_values = st.one_of(st.integers(-1, 2), st.sampled_from(["", "x"]), st.booleans(), json_values)


@st.composite
def odd_entities(draw: st.DrawFn) -> dict[str, Any]:
    entity: dict[str, Any] = {"id": "x", "data": {}}
    for path in draw(st.lists(st.sampled_from(STEP_PATHS), min_size=1, max_size=5)):
        *parents, last = path.split(".")
        holder = entity
        for key in parents:
            if not isinstance(holder.get(key), dict):
                holder[key] = {}
            holder = holder[key]
        holder[last] = draw(odd_values)
    return entity


@settings(max_examples=400, deadline=None)
@given(
    entity_type=st.sampled_from(list(EntityType)),
    entity=odd_entities(),
    release=release_names,
    data=st.data(),
)
def test_any_input_converts_or_is_refused_naming_a_field_never_anything_else(
    entity_type: EntityType, entity: dict[str, Any], release: str, data: st.DataObject
) -> None:
    oldest, latest = OLDEST.version_of(entity_type), LATEST.version_of(entity_type)
    version = data.draw(st.integers(oldest, latest), label="version")
    entity = {**entity, "sourceIndexVersion": version}
    refusal: Exception | None = None
    try:
        convert(entity_type, entity, release_named(release))
    except (StepInputInvalid, UnsupportedVersion) as refused:
        refusal = refused
    assert refusal is None or "field '" in str(refusal)
