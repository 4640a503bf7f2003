"""What `plan` and `migrate --plan` print (PUBLIC_API.md §5, "Plan"): a line per entity that
would change, with its sign (`+` create, `~` update, `-` delete), type, name and id, an update's
changes indented below it (see `change_lines`), and a closing line in Terraform's words. Colours
only on a terminal and never under NO_COLOR; --json gives the whole plan as one document. The
exit status says whether anything would change: 0 nothing, 2 something (1 is an error)."""

from __future__ import annotations

import json
import os
import sys
from typing import IO, Any

import click

from application.deploy.plan import DeployPlan, PlanAction, PlannedEntity
from domain.json_document import JsonValue
from entrypoints.cli.change_lines import change_lines

NOTHING_TO_DO = 0
CHANGES_PLANNED = 2
SIGNS = {PlanAction.CREATE: "+", PlanAction.UPDATE: "~", PlanAction.DELETE: "-"}
COLOURS = {PlanAction.CREATE: "green", PlanAction.UPDATE: "yellow", PlanAction.DELETE: "red"}
INDENT = "    "


def colour_wanted(stream: IO[str] | None = None) -> bool:
    """On a terminal, unless NO_COLOR is set to anything but the empty string (no-color.org)."""
    return (stream or sys.stdout).isatty() and not os.environ.get("NO_COLOR")


def exit_status(plan: DeployPlan) -> int:
    return CHANGES_PLANNED if plan.changes_anything else NOTHING_TO_DO


def plan_lines(plan: DeployPlan, *, colour: bool = False) -> list[str]:
    lines = [*_heading(plan), ""]
    for entity in plan.entities:
        lines.append(_paint(_entity_line(entity), COLOURS[entity.action], colour=colour))
        if entity.action is PlanAction.UPDATE:
            lines.extend(INDENT + line for line in _update_lines(entity, plan))
    if plan.entities:
        lines.append("")
    else:
        lines.append("No changes: the collection already holds what the file says.")
    return [*lines, _paint(closing_line(plan), None, colour=colour, bold=True)]


def closing_line(plan: DeployPlan) -> str:
    counts = plan.counts()
    return (
        f"Plan: {counts['create']} to create, {counts['update']} to update, "
        f"{counts['delete']} to delete, {counts['unchanged']} unchanged."
    )


def _heading(plan: DeployPlan) -> list[str]:
    where = f"collection {plan.collection_id} at {plan.target}"
    if plan.what_optimize_would_do:
        lines = [
            f"Plan for {where}, an Optimize: this is what Optimize would do. It has no dry run "
            "and no overwrite, so nothing was sent: it creates every entity of the file anew, "
            "beside any earlier copies"
            + (
                ", and --prune deletes what the previous push from here created."
                if any(e.action is PlanAction.DELETE for e in plan.entities)
                else "."
            )
        ]
    else:
        lines = [f"Plan for {where}: the target's dry run of this import; nothing was written."]
    if plan.converted_to is not None:
        lost = f", losing: {'; '.join(plan.losses)}" if plan.losses else ""
        release = plan.converted_to
        lines.append(f"The file would be converted to the format of release {release}{lost}.")
    return lines


def _entity_line(entity: PlannedEntity) -> str:
    name = json.dumps(entity.name, ensure_ascii=False)
    where = entity.id if entity.id else f"(new; {entity.source_id} in the file)"
    return f"{SIGNS[entity.action]} {entity.entity_type:<9} {name} {where}"


def _update_lines(entity: PlannedEntity, plan: DeployPlan) -> list[str]:
    if entity.changes is None:
        return ["(the target did not say which fields change)"]
    return change_lines(entity.changes, plan.target_names)


def _paint(text: str, fg: str | None, *, colour: bool, bold: bool = False) -> str:
    return click.style(text, fg=fg, bold=bold or None) if colour else text


def echo_plan(plan: DeployPlan) -> None:
    colour = colour_wanted()
    for line in plan_lines(plan, colour=colour):
        click.echo(line, color=colour)


def plan_document(plan: DeployPlan) -> dict[str, Any]:
    """The whole plan as one JSON document: the same entities, each update's changes in the
    target's own form."""
    return {
        "target": plan.target,
        "collection": plan.collection_id,
        "targetKind": plan.target_kind.value,
        "whatOptimizeWouldDo": plan.what_optimize_would_do,
        "changes": plan.changes_anything,
        "counts": plan.counts(),
        "entities": [_entity_document(e) for e in plan.entities],
        "convertedTo": plan.converted_to,
        "losses": list(plan.losses),
    }


def _entity_document(entity: PlannedEntity) -> dict[str, JsonValue]:
    document: dict[str, JsonValue] = {
        "action": entity.action.value,
        "entityType": entity.entity_type,
        "name": entity.name,
        "id": entity.id,
        "sourceId": entity.source_id,
    }
    if entity.changes is not None:
        document |= entity.changes.to_json()
    return document
