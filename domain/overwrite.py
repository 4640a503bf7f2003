"""Import with overwrite: which stored entity each entity of a checked file overwrites, and
whether that changes anything. Nothing here writes; the caller stores the plan, under the
collection's lock, in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from domain.dashboard import Dashboard
from domain.entity_changes import EntityChanges, changes_between
from domain.entity_type import EntityType
from domain.errors import OverwriteConflict
from domain.export_format.reader import describe
from domain.export_format.writer import current_value
from domain.import_plan import Action, CheckedImport, ImportedItem, ImportPlan
from domain.report import Report


@dataclass(frozen=True, slots=True)
class StoredOrigin:
    """A stored entity of the target collection, and the ID in the file it was imported from
    (None when it was not imported, or another entity of the collection came from that ID)."""

    id: str
    entity_type: EntityType
    source_id: str | None

    @property
    def label(self) -> str:
        return describe(self.entity_type, self.id)


def match_stored(checked: CheckedImport, stored: Iterable[StoredOrigin]) -> dict[str, StoredOrigin]:
    """For each entity of the file that the collection already holds, by its ID in the file,
    the stored entity it overwrites: the one imported from that ID, else the one with that ID.

    Raises OverwriteConflict when a match is of another type (a report stored as a dashboard,
    or a single report stored as a combined one), or when two entities of the file match the
    same stored entity, naming all of them."""
    by_source: dict[str, list[StoredOrigin]] = {}
    by_id: dict[str, list[StoredOrigin]] = {}
    for origin in stored:
        if origin.source_id is not None:
            by_source.setdefault(origin.source_id, []).append(origin)
        by_id.setdefault(origin.id, []).append(origin)
    matches: dict[str, StoredOrigin] = {}
    problems: list[str] = []
    for entry in checked.entries:
        file_id = entry.entity.id
        candidates = by_source.get(file_id) or by_id.get(file_id)
        if not candidates:
            continue
        # A report and a dashboard may share an ID; the one of the file's type is meant.
        same_type = [c for c in candidates if c.entity_type is entry.entity_type]
        match = same_type[0] if same_type else candidates[0]
        if match.entity_type is not entry.entity_type:
            problems.append(
                f"the file's {entry.label} ({entry.entity_type.value}) would overwrite "
                f"{match.label}, which is a {match.entity_type.value}"
            )
        matches[file_id] = match
    problems += _claimed_twice(matches)
    if problems:
        raise OverwriteConflict("Cannot overwrite: " + "; ".join(problems))
    return matches


def _claimed_twice(matches: Mapping[str, StoredOrigin]) -> list[str]:
    """A problem for each stored entity that several entities of the file match."""
    claimed: dict[str, list[str]] = {}
    for file_id, match in matches.items():
        claimed.setdefault(match.id, []).append(file_id)
    problems: list[str] = []
    for file_ids in claimed.values():
        if len(file_ids) > 1:
            named = " and ".join(f'"{i}"' for i in file_ids)
            problems.append(
                f"the file's entities {named} would all overwrite {matches[file_ids[0]].label}"
            )
    return problems


def plan_overwrite(
    checked: CheckedImport,
    matches: Mapping[str, StoredOrigin],
    stored_reports: Mapping[str, Report],
    stored_dashboards: Mapping[str, Dashboard],
    new_id: Callable[[], str],
) -> ImportPlan:
    """The file's entities in the collection: a matched one under its stored ID, updated when
    its content differs from what is stored and left alone when it does not; every other one
    created under a new ID. References follow the same IDs."""
    target_ids = {
        e.entity.id: match.id if (match := matches.get(e.entity.id)) else new_id()
        for e in checked.entries
    }
    planned = checked.planned(target_ids)
    planned_reports = {r.id: r for r in planned.reports}
    planned_dashboards = {d.id: d for d in planned.dashboards}
    created: list[Report | Dashboard] = []
    updated: list[Report | Dashboard] = []
    items: list[ImportedItem] = []
    for item in planned.items:
        assert item.id is not None  # noqa: S101 - every planned entity has its target ID
        is_report = item.entity_type == "report"
        planned_entity = (planned_reports if is_report else planned_dashboards)[item.id]
        stored = (stored_reports if is_report else stored_dashboards).get(item.id)
        action = _action(item.source_id in matches, stored, planned_entity)
        if action != "unchanged":
            (created if action == "created" else updated).append(planned_entity)
        items.append(ImportedItem(item.id, item.entity_type, item.source_id, action=action))
    return ImportPlan(
        tuple(e for e in created if isinstance(e, Report)),
        tuple(e for e in created if isinstance(e, Dashboard)),
        tuple(items),
        tuple(e for e in updated if isinstance(e, Report)),
        tuple(e for e in updated if isinstance(e, Dashboard)),
    )


def stored_changes(stored: Report | Dashboard, planned: Report | Dashboard) -> EntityChanges:
    """What an update would change in a stored entity: the two compared as the export writes
    them, the planned one after the import's ID rewriting and XML replacement."""
    return changes_between(current_value(stored), current_value(planned))


def _action(
    matched: bool, stored: Report | Dashboard | None, planned: Report | Dashboard
) -> Action:
    # A match that is gone by the time it is read (a concurrent delete) is created anew.
    if not matched or stored is None:
        return "created"
    return "unchanged" if stored == planned else "updated"
