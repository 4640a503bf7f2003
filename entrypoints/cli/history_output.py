"""What `boardport history`, `diff` and `revert` print on a terminal (PUBLIC_API.md §4
"History"): changes and revisions as aligned columns under a heading, a diff in the plan's words
(`change_lines`), a revert's entities with the plan's signs, and a refused revert's conflicts
with the way past them. `--json` prints the API's JSON instead (entrypoints.wire.history)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from domain.entity_changes import EntityChanges
from domain.history import ChangeSummary, EntityKey, RevisionEntry
from domain.import_plan import ImportedItem
from entrypoints.cli.change_lines import ARROW, change_lines

INDENT = "    "
SIGNS = {"created": "+", "updated": "~", "deleted": "-", "unchanged": "="}
"""A revert's action, signed as a plan signs it."""


def shown_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def columns(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows of cells aligned in columns two spaces apart, the last one left ragged."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def counted(created: int, updated: int, deleted: int) -> str:
    counts = {"created": created, "updated": updated, "deleted": deleted}
    return ", ".join(f"{n} {word}" for word, n in counts.items() if n) or "nothing"


def changes_lines(changes: Sequence[ChangeSummary], collection_id: str | None) -> list[str]:
    """The changes of one collection, or of every one (then each says its collection)."""
    where = f"collection {collection_id}" if collection_id else "every collection"
    if not changes:
        return [f"No changes recorded in {where}."]
    every = collection_id is None
    rows = [("CHANGE", "AT", "KIND", "ACTOR", *(["COLLECTION"] if every else []), "ENTITIES")]
    rows += [
        (
            c.id,
            shown_time(c.at),
            c.kind,
            c.actor,
            *([c.collection_id or "-"] if every else []),
            counted(c.counts.created, c.counts.updated, c.counts.deleted),
        )
        for c in changes
    ]
    return [f"Changes in {where}, newest first:", *columns(rows)]


def revisions_lines(key: EntityKey, revisions: Sequence[RevisionEntry]) -> list[str]:
    rows = [("REVISION", "AT", "ACTION", "ACTOR", "CHANGE")]
    rows += [
        (
            str(r.number),
            shown_time(r.at),
            r.action,
            r.actor or "-",
            r.change_id or "(before history)",
        )
        for r in revisions
    ]
    heading = f"Revisions of {key.entity_type} {key.id}, newest first:"
    return [heading, *columns(rows)]


def diff_lines(key: EntityKey, number: int, to: int | None, changes: EntityChanges) -> list[str]:
    later = "the current one" if to is None else f"revision {to}"
    heading = f"{key.entity_type} {key.id}: revision {number} {ARROW} {later}"
    if not changes.changes and not changes.omitted:
        return [heading, f"{INDENT}no changes"]
    shown = change_lines(changes, {})
    total = len(changes.changes) + changes.omitted
    return [heading, *(INDENT + line for line in shown), f"{total} change(s)."]


def revert_lines(change_id: str, items: Sequence[ImportedItem], *, dry_run: bool) -> list[str]:
    heading = (
        f"Dry run of reverting change {change_id}: nothing was written."
        if dry_run
        else f"Reverted change {change_id}, recorded as a change of its own."
    )
    rows = [
        (SIGNS.get(i.action or "", "?"), i.entity_type, i.id or "", i.action or "") for i in items
    ]
    actions = [i.action for i in items]
    counts = counted(actions.count("created"), actions.count("updated"), actions.count("deleted"))
    closing = f"{'Would revert' if dry_run else 'Reverted'}: {counts}."
    return [heading, *(INDENT + line for line in (columns(rows) if rows else [])), closing]


def conflict_lines(detail: str, extra: Mapping[str, object], server: str = "") -> list[str]:
    """A revert refused with revertConflict: each entity a later change touched, and that
    change; then what to do. The API's own message when the entities are not listed."""
    prefix = f"{server}: " if server else ""
    listed = extra.get("conflictedItems")
    items = [i for i in listed if isinstance(i, dict)] if isinstance(listed, list) else []
    if not items:
        return [f"{prefix}revertConflict: {detail}"]
    lines = [f"{prefix}revertConflict: a later change touched what this revert would restore:"]
    lines += [
        f"{INDENT}{i.get('type', '?')} {i.get('id', '?')} "
        f"{json.dumps(i.get('name', ''), ensure_ascii=False)}: changed later by change "
        f"{i.get('changeId') or '(unknown)'}"
        for i in items
    ]
    lines.append(
        "Nothing was reverted. Revert the later changes first (newest first), or run again "
        "with --force to restore these entities anyway."
    )
    return lines
