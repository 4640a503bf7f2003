"""The steps of every index in order, and the two ways through them: up from any release's
format to the current one, and down from the current one to any release's (MIGRATIONS.md §0,
§6, §7). The number alone is not trusted: every step checks the shape it changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from types import MappingProxyType

from domain.entity_type import EntityType
from domain.export_format import dashboard_steps as dash
from domain.export_format import report_steps as rep
from domain.export_format.releases import LATEST, OLDEST, Release, format_label, is_supported
from domain.export_format.shape import Entity, Loss, copy_json, kind


@dataclass(frozen=True, slots=True)
class Step:
    """The change that brought an index to `version` in `release`, and its inverse."""

    version: int
    release: str
    up: Callable[[Entity], None]
    down: Callable[[Entity], list[Loss]]


def _report_steps(*, decision: bool) -> tuple[Step, ...]:
    early = (
        Step(
            6, "3.4", partial(rep.up_6, decision=decision), partial(rep.down_6, decision=decision)
        ),
        Step(
            7, "3.5", partial(rep.up_7, decision=decision), partial(rep.down_7, decision=decision)
        ),
        Step(8, "3.6", rep.up_8, rep.down_8),
        Step(9, "3.8", rep.up_9, partial(rep.down_9, decision=decision)),
    )
    if decision:
        return (*early, Step(10, "3.11", rep.decision_up_10, rep.drop_description))
    return (
        *early,
        Step(10, "3.10", rep.process_up_10, rep.process_down_10),
        Step(11, "3.11", rep.process_up_11, rep.process_down_11),
    )


STEPS: MappingProxyType[EntityType, tuple[Step, ...]] = MappingProxyType(
    {
        EntityType.SINGLE_PROCESS_REPORT: _report_steps(decision=False),
        EntityType.SINGLE_DECISION_REPORT: _report_steps(decision=True),
        EntityType.COMBINED_REPORT: (Step(5, "3.11", dash.up_8, dash.down_8),),
        EntityType.DASHBOARD: (
            Step(5, "3.7", dash.up_5, dash.down_5),
            Step(6, "3.9", dash.up_6, dash.down_6),
            Step(7, "3.10", dash.up_7, dash.down_7),
            Step(8, "3.11", dash.up_8, dash.down_8),
        ),
    }
)


def has_legacy_shape(entity_type: EntityType, entity: Entity) -> bool:
    """An entity stamped current whose shape is older (hand-written or concatenated files):
    a dashboard with `reports`, a single report that names its definition the pre-3.5 way."""
    if entity_type is EntityType.DASHBOARD:
        return "reports" in entity and "tiles" not in entity
    if entity_type is EntityType.COMBINED_REPORT:
        return False
    data = entity.get("data")
    return (
        isinstance(data, dict)
        and "definitions" not in data
        and any(f in data for f in ("processDefinitionKey", "decisionDefinitionKey"))
    )


def migrate_up(entity_type: EntityType, entity: Entity, version: int) -> Entity:
    """The entity in the current format, stamped with the current number. `version` must be
    supported (`is_supported`). The step that led to `version` runs again, for the same-number
    fix-ups (§0); an entity already current in number and shape is returned as it is, uncopied.
    Raises StepInputInvalid for a field of a shape no release wrote."""
    current = LATEST.version_of(entity_type)
    legacy = has_legacy_shape(entity_type, entity)
    if version == current and not legacy:
        return entity
    start = OLDEST.version_of(entity_type) if legacy else version
    migrated = copy_json(entity)
    assert isinstance(migrated, dict)  # noqa: S101 - a copy of a dict
    for step in STEPS[entity_type]:
        if step.version >= start:
            step.up(migrated)
    migrated["sourceIndexVersion"] = current
    return migrated


def migrate_down(
    entity_type: EntityType, entity: Entity, release: Release, *, owned: bool = False
) -> tuple[Entity, list[Loss]]:
    """A current-format entity in `release`'s format and numbers, with what that format could
    not hold. The entity given is not changed, unless the caller says it `owned` a private
    copy (the writer parses each entity afresh, so a second copy would only cost time)."""
    target = release.version_of(entity_type)
    if target == LATEST.version_of(entity_type):
        return entity, []
    converted = entity if owned else copy_json(entity)
    assert isinstance(converted, dict)  # noqa: S101 - a copy of a dict
    losses: list[Loss] = []
    for step in reversed(STEPS[entity_type]):
        if step.version > target:
            losses.extend(step.down(converted))
    converted["sourceIndexVersion"] = target
    return in_release_order(converted), losses


_REPORT_ORDER = (
    "id",
    "exportEntityType",
    "name",
    "description",
    "sourceIndexVersion",
    "collectionId",
    "data",
)
_ENVELOPE = ("id", "exportEntityType", "name", "description", "sourceIndexVersion")
# 3.3 to 3.9 wrote a dashboard's collectionId after its tiles, as the seed page and the real 3.9
# file print it; only the reports put it before their data.
_LEGACY_DASHBOARD_ORDER = (*_ENVELOPE, "reports", "availableFilters", "collectionId")
_DASHBOARD_ORDER = (
    *_ENVELOPE,
    "tiles",
    "availableFilters",
    "collectionId",
    "instantPreviewDashboard",
)


def in_release_order(entity: Entity) -> Entity:
    """The envelope's keys in the order that release's Optimize prints them (§2)."""
    order: tuple[str, ...]
    if "data" in entity:
        order = _REPORT_ORDER
    else:
        order = _LEGACY_DASHBOARD_ORDER if "reports" in entity else _DASHBOARD_ORDER
    return {k: entity[k] for k in (*order, *entity) if k in entity}


@dataclass(frozen=True, slots=True)
class Conversion:
    """One entity converted: the format it was read as, the one written, what was lost."""

    entity: Entity
    read_as: str
    written_as: str
    losses: tuple[Loss, ...]


class UnsupportedVersion(Exception):
    def __init__(self, entity_type: EntityType, version: object) -> None:
        oldest, latest = OLDEST.version_of(entity_type), LATEST.version_of(entity_type)
        shown = version if isinstance(version, int) else kind(version)
        super().__init__(
            f"field 'sourceIndexVersion' is {shown}; {entity_type.value} is read from {oldest} "
            f"(Optimize 3.3) to {latest} (the current release)"
        )


def version_in(entity_type: EntityType, entity: Entity) -> int:
    version = entity.get("sourceIndexVersion")
    if (
        isinstance(version, int)
        and not isinstance(version, bool)
        and is_supported(entity_type, version)
    ):
        return version
    raise UnsupportedVersion(entity_type, version)


def convert(entity_type: EntityType, entity: Entity, release: Release) -> Conversion:
    """Any supported release's entity in `release`'s format: up to current, then down. The
    result is the entity given when nothing had to change."""
    version = version_in(entity_type, entity)
    current = migrate_up(entity_type, entity, version)
    converted, losses = migrate_down(entity_type, current, release)
    return Conversion(
        converted,
        format_label(entity_type, version),
        format_label(entity_type, release.version_of(entity_type)),
        tuple(losses),
    )
