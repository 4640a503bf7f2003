"""A field-level change as the pages show it (the import preview, a revision comparison): its
path and each side as compact JSON, cut after 200 characters; None where the place is absent
on that side (added or removed)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from domain.entity_changes import ABSENT, EntityChanges, Side

SHORT = 200


@dataclass(frozen=True, slots=True)
class ShownChange:
    path: str
    before: str | None
    after: str | None


def shown_changes(changes: EntityChanges | None) -> tuple[ShownChange, ...]:
    if changes is None:
        return ()
    return tuple(ShownChange(c.path, _shown(c.before), _shown(c.after)) for c in changes.changes)


def _shown(side: Side) -> str | None:
    if side is ABSENT:
        return None
    text = json.dumps(side, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"
