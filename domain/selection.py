"""Selectors (PUBLIC_API.md §5, "Selectors"): a part of a collection named by dashboard ids,
report ids and name globs, closed under what the export closes over (a dashboard brings the
reports on its tiles, a combined report its children), so that the part imports on its own.

What this module decided where the contract is silent:

- `--name` is matched against the whole name with `fnmatch`'s globs (`*`, `?`, `[...]`),
  case-insensitively (both sides case-folded), on dashboards and reports alike.
- The selectors add up: an entity is picked when any of them names it.
- A `--dashboard` or `--report` id that is not a dashboard (a report) of the collection matches
  nothing, even when the server knows that id elsewhere. A selector that picks nothing is
  told (`Selection.unmatched`): the caller stops, since a deploy of less than asked is a
  surprise.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from domain.entity_type import EntityType
from domain.json_document import JsonValue
from domain.report import combined_child_ids

DASHBOARD = "dashboard"
REPORT = "report"


@dataclass(frozen=True, slots=True)
class Selector:
    """What a command was asked to take of a collection; empty: all of it."""

    dashboards: tuple[str, ...] = ()
    reports: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    @property
    def whole(self) -> bool:
        return not (self.dashboards or self.reports or self.names)

    def options(self) -> list[tuple[str, str]]:
        """Each selector: (what it matches, as `Selection` records it; how it is written on
        the command line)."""
        return [
            *((f"{DASHBOARD} {i}", f"--dashboard {i}") for i in self.dashboards),
            *((f"{REPORT} {i}", f"--report {i}") for i in self.reports),
            *((f"name {g}", f"--name {json.dumps(g, ensure_ascii=False)}") for g in self.names),
        ]

    def to_json(self) -> dict[str, JsonValue]:
        return {
            "dashboards": list(self.dashboards),
            "reports": list(self.reports),
            "names": list(self.names),
        }


@dataclass(frozen=True, slots=True)
class Outline:
    """What selecting needs of an exported entity: its id, kind, name and the reports it
    brings along."""

    id: str
    kind: str
    """`dashboard` or `report`."""
    name: str
    brings: tuple[str, ...]

    @classmethod
    def of(cls, entity: JsonValue) -> Outline | None:
        """The outline of an export entity; None for anything that is not one."""
        if not isinstance(entity, dict) or not isinstance(entity.get("id"), str):
            return None
        entity_type = EntityType.parse(str(entity.get("exportEntityType", "")))
        if entity_type is None:
            return None
        name = entity.get("name")
        shown = name if isinstance(name, str) else ""
        entity_id = str(entity["id"])
        if entity_type is EntityType.DASHBOARD:
            return cls(entity_id, DASHBOARD, shown, _tile_reports(entity.get("tiles")))
        return cls(entity_id, REPORT, shown, combined_child_ids(entity.get("data")))


def _tile_reports(tiles: JsonValue) -> tuple[str, ...]:
    if not isinstance(tiles, list):
        return ()
    ids = (t.get("id") for t in tiles if isinstance(t, dict) and t.get("type") == "optimize_report")
    return tuple(dict.fromkeys(i for i in ids if isinstance(i, str) and i))


class Selection:
    """One selector applied to a collection whose dashboard and report ids are known: given
    groups of outlines that are each closed under what they bring (one export answer, or a
    whole directory), it says which to keep, and remembers which selectors picked anything."""

    def __init__(
        self, selector: Selector, dashboard_ids: Collection[str], report_ids: Collection[str]
    ) -> None:
        self.selector = selector
        self._dashboards = frozenset(i for i in selector.dashboards if i in dashboard_ids)
        self._reports = frozenset(i for i in selector.reports if i in report_ids)
        self._globs = tuple((g, g.casefold()) for g in selector.names)
        self._matched: set[str] = set()
        self.kept: set[str] = set()
        """Every id kept so far, over all groups."""

    def take(self, outlines: Iterable[Outline]) -> set[str]:
        """The ids of this group to keep: those a selector picks and what they bring (within
        the group), transitively."""
        by_id: Mapping[str, Outline] = {o.id: o for o in outlines}
        pending = [o for o in by_id.values() if self._picks(o)]
        kept: set[str] = set()
        while pending:
            outline = pending.pop()
            if outline.id in kept:
                continue
            kept.add(outline.id)
            pending.extend(by_id[i] for i in outline.brings if i in by_id)
        self.kept |= kept
        return kept

    def _picks(self, outline: Outline) -> bool:
        picked = False
        if outline.id in (self._dashboards if outline.kind == DASHBOARD else self._reports):
            self._matched.add(f"{outline.kind} {outline.id}")
            picked = True
        folded = outline.name.casefold()
        for glob, folded_glob in self._globs:
            if fnmatch.fnmatchcase(folded, folded_glob):
                self._matched.add(f"name {glob}")
                picked = True
        return picked

    def absent(self) -> list[str]:
        """The id selectors that name no dashboard (report) of the collection, as written on
        the command line: known before anything is exported."""
        selector = self.selector
        return [
            *(f"--dashboard {i}" for i in selector.dashboards if i not in self._dashboards),
            *(f"--report {i}" for i in selector.reports if i not in self._reports),
        ]

    def unmatched(self) -> list[str]:
        """The selectors that picked nothing so far, as written on the command line."""
        return [written for key, written in self.selector.options() if key not in self._matched]
