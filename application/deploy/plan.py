"""A plan (PUBLIC_API.md §5, "Plan"): what a push or a migrate would do to the target, entity by
entity, made from the same delivery in a dry run, so that it says exactly what the run would.
Against a boardport that is the server's dry run of the converging import, with each update's
changes as the server's diff gave them (no second diff here). Against an Optimize, which has
no dry run and no overwrite, it is what Optimize would do: every entity of the file created,
and under --prune the previous push's entities deleted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from application.deploy.delivery import DELETED, Delivery
from application.deploy.errors import DeployStopped
from application.deploy.selected_exports import batches
from application.ports.optimize_server import (
    EntityKind,
    ImportAnswerItem,
    OptimizeServer,
    ServerKind,
)
from domain.entity_changes import EntityChanges


class PlanUnavailable(DeployStopped):
    """The target cannot say what the import would do (an earlier boardport that needs
    definitions registered before its dry run can check the file)."""

    error_code = "planUnavailable"


class PlanAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class PlannedEntity:
    """One entity the run would change."""

    action: PlanAction
    entity_type: str
    """`report` or `dashboard`."""
    name: str
    id: str | None
    """Its id on the target; None for one that would be created."""
    source_id: str | None
    """Its id in the file; None for a delete against an Optimize that did not say it."""
    changes: EntityChanges | None = None
    """An update's changes, as the target said them; None when it did not say."""


@dataclass(frozen=True, slots=True)
class SentFile:
    """The file the run would send: each entity's id, kind and name, in file order."""

    ids: Sequence[str]
    kinds: Sequence[str]
    names: Sequence[str]


@dataclass(frozen=True, slots=True)
class DeployPlan:
    target: str
    collection_id: str
    target_kind: ServerKind
    entities: tuple[PlannedEntity, ...]
    unchanged: int
    target_names: Mapping[str, str]
    """The name of each entity of the target the plan knows, by its id there: for a tile,
    which names a report by its id on the target."""
    converted_to: str | None = None
    losses: tuple[str, ...] = ()

    @property
    def what_optimize_would_do(self) -> bool:
        """Not a boardport's dry run: Optimize has none, so the plan is what it would do."""
        return not self.target_kind.is_boardport

    @property
    def changes_anything(self) -> bool:
        return bool(self.entities)

    def counts(self) -> dict[str, int]:
        counts = {action.value: 0 for action in PlanAction}
        for entity in self.entities:
            counts[entity.action.value] += 1
        return counts | {"unchanged": self.unchanged}


def plan_of(delivery: Delivery, sent: SentFile, deleted_names: Mapping[str, str]) -> DeployPlan:
    """The plan a dry-run delivery makes. `deleted_names`: the name of each entity it would
    delete that the target still holds (see `names_of_deletes`); the others are left out,
    since deleting what is gone changes nothing. Raises PlanUnavailable when a boardport was
    sent nothing."""
    if delivery.target_kind.is_boardport and not delivery.sent:
        raise PlanUnavailable(
            f"{delivery.target} is an earlier boardport whose dry run cannot check this file "
            "before the definitions it needs are registered; push --dry-run says which"
        )
    deletes = [
        PlannedEntity(PlanAction.DELETE, i.entity_type, deleted_names[i.id], i.id, i.source_id)
        for i in delivery.items
        if i.action == DELETED and i.id in deleted_names
    ]
    if not delivery.target_kind.is_boardport:
        planned = [
            PlannedEntity(PlanAction.CREATE, kind, name, None, source_id)
            for source_id, kind, name in zip(sent.ids, sent.kinds, sent.names, strict=True)
        ]
        unchanged, target_names = 0, dict(deleted_names)
    else:
        planned, unchanged, target_names = _answered(delivery.items, sent)
    return DeployPlan(
        delivery.target,
        delivery.collection_id,
        delivery.target_kind,
        (*planned, *deletes),
        unchanged,
        target_names | dict(deleted_names),
        delivery.converted_to,
        delivery.losses,
    )


def _answered(
    items: Sequence[ImportAnswerItem], sent: SentFile
) -> tuple[list[PlannedEntity], int, dict[str, str]]:
    """(the creates and updates of a boardport's dry run, the count of the unchanged, the
    target's id of each entity of the file it matched, with its name)."""
    names = dict(zip(sent.ids, sent.names, strict=True))
    planned: list[PlannedEntity] = []
    unchanged = 0
    target_names: dict[str, str] = {}
    for item in items:
        if item.action == DELETED:
            continue
        name = names.get(item.source_id or "", "")
        if item.id:
            target_names[item.id] = name
        if item.action == "unchanged":
            unchanged += 1
        elif item.action == "updated":
            planned.append(
                PlannedEntity(
                    PlanAction.UPDATE, item.entity_type, name, item.id, item.source_id, item.changes
                )
            )
        else:
            planned.append(
                PlannedEntity(PlanAction.CREATE, item.entity_type, name, None, item.source_id)
            )
    return planned, unchanged, target_names


def names_of_deletes(
    target: OptimizeServer, collection_id: str, items: Sequence[ImportAnswerItem], batch_size: int
) -> dict[str, str]:
    """The name of each entity a delivery would delete that the target's collection still
    holds, from the target's exports (the import's answer names none)."""
    deletes = [i for i in items if i.action == DELETED]
    names: dict[str, str] = {}
    for kind in (EntityKind.DASHBOARD, EntityKind.REPORT):
        ids = [i.id for i in deletes if i.entity_type == kind.value]
        if not ids:
            continue
        held = set(target.list_ids(kind, collection_id))
        wanted = {i: None for i in ids if i in held}
        for batch in batches(list(wanted), batch_size):
            for entity in target.export(kind, batch):
                if isinstance(entity, dict) and entity.get("id") in wanted:
                    names[str(entity["id"])] = str(entity.get("name", ""))
    return names
