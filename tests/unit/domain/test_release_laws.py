"""The laws of MIGRATIONS.md §7, for generated entities and every pair of releases: down then
up, and up then down, give the entity back except for the table's losses; up twice is up once."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings

from domain.entity_type import EntityType
from domain.export_format.chain import convert, migrate_down, migrate_up
from domain.export_format.releases import release_named
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
    written, _ = migrate_down(entity_type, generated.entity, release_named(release))
    version = written["sourceIndexVersion"]
    once = migrate_up(entity_type, written, version)
    again = migrate_up(entity_type, dict(once, sourceIndexVersion=version), version)
    assert again == once
    assert migrate_up(entity_type, once, once["sourceIndexVersion"]) is once


@settings(max_examples=100, deadline=None)
@given(generated=entities, release=release_names)
def test_a_conversion_never_changes_what_it_was_given(generated: Generated, release: str) -> None:
    before = copy.deepcopy(generated.entity)
    down_then_up(generated, release)
    assert generated.entity == before
