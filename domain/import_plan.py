"""The import rules of the contract, checks 3 to 7, and what a valid file becomes: new entities
under new IDs in the target collection, references rewritten. Nothing here writes; the caller
stores the plan in one transaction, or not at all."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from domain.collection import Collection
from domain.dashboard import Dashboard
from domain.definition import DefinitionCatalog, DefinitionRef, Resolution
from domain.entity_changes import EntityChanges
from domain.export_format.reader import FileEntry
from domain.import_checks import (
    MAX_DESCRIPTION_LENGTH,
    check_allowed,
    check_dashboard_filters,
    check_definitions,
    check_descriptions,
    check_index_versions,
    check_references,
    check_scope,
    description_problem,
    distinct_entries,
)
from domain.import_rewrite import imported_dashboard, imported_report
from domain.report import Report

__all__ = [
    "MAX_DESCRIPTION_LENGTH",
    "Action",
    "CheckedImport",
    "ImportPlan",
    "ImportedItem",
    "check_import",
    "description_problem",
    "distinct_entries",
    "plan_import",
    "referenced_definitions",
]


Action = Literal["created", "updated", "unchanged", "deleted"]


@dataclass(frozen=True, slots=True)
class ImportedItem:
    """One line of the import's answer: which entity of the file became which. `action` is
    said by an overwriting import only; a plain import creates every entity."""

    id: str | None
    entity_type: Literal["report", "dashboard"]
    source_id: str
    read_as: str | None = None
    """In a dry run: the releases whose format the entity was read as (MIGRATIONS.md §1)."""
    action: Action | None = None
    changes: EntityChanges | None = None
    """In a dry run of an overwrite, for an entity it would update: what would change."""


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import writes: `reports` and `dashboards` are new, `updated_*` overwrite stored
    ones in place (an overwriting import only); unchanged entities are in `items` alone."""

    reports: tuple[Report, ...]
    dashboards: tuple[Dashboard, ...]
    items: tuple[ImportedItem, ...]
    updated_reports: tuple[Report, ...] = ()
    updated_dashboards: tuple[Dashboard, ...] = ()

    def predicted(self) -> tuple[ImportedItem, ...]:
        """The answer of a dry run: the same items, without the IDs that were not created."""
        return tuple(
            item if item.action in {"updated", "unchanged"} else replace(item, id=None)
            for item in self.items
        )

    @property
    def writes_anything(self) -> bool:
        return bool(
            self.reports or self.dashboards or self.updated_reports or self.updated_dashboards
        )

    def sources(self) -> dict[str, str]:
        """The source ID of each entity this plan creates, by its new ID: its origin, which it
        takes over from any older copy, so that the next overwrite finds the newest."""
        return {
            item.id: item.source_id
            for item in self.items
            if item.id is not None and item.action in {None, "created"}
        }


def referenced_definitions(entries: Iterable[FileEntry]) -> tuple[DefinitionRef, ...]:
    return tuple(ref for e in entries for ref in e.refs)


def plan_import(
    entries: Sequence[FileEntry],
    collection: Collection,
    definitions: DefinitionCatalog,
    new_id: Callable[[], str],
) -> ImportPlan:
    """Runs checks 3 to 7 in the contract's order (the first failing check answers) and, for a
    valid file, plans every entity under a new ID in `collection`."""
    checked = check_import(entries, collection, definitions)
    return checked.planned({e.entity.id: new_id() for e in checked.entries})


@dataclass(frozen=True, slots=True)
class CheckedImport:
    """A file that passed every check, and what the checks found out: the file's distinct
    entities in file order and the definition each report's references resolve to."""

    entries: tuple[FileEntry, ...]
    collection_id: str
    resolutions: Mapping[tuple[str, DefinitionRef], Resolution]

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(e.entity.id for e in self.entries)

    def planned(self, target_ids: Mapping[str, str]) -> ImportPlan:
        """Every entity as it is to be stored: under the ID `target_ids` gives it, in the
        collection, references following `target_ids` too."""
        reports: list[Report] = []
        dashboards: list[Dashboard] = []
        items: list[ImportedItem] = []
        for entry in self.entries:
            entity = entry.entity
            if isinstance(entity, Report):
                reports.append(
                    imported_report(entry, self.collection_id, target_ids, self.resolutions)
                )
                items.append(ImportedItem(target_ids[entity.id], "report", entity.id))
            else:
                dashboards.append(imported_dashboard(entity, self.collection_id, target_ids))
                items.append(ImportedItem(target_ids[entity.id], "dashboard", entity.id))
        return ImportPlan(tuple(reports), tuple(dashboards), tuple(items))


def check_import(
    entries: Sequence[FileEntry], collection: Collection, definitions: DefinitionCatalog
) -> CheckedImport:
    """Checks 3 to 7 in the contract's order; the first failing check answers.

    Check 6 decides on the reports and check 7 on the dashboards. When a report's index version
    is refused, the answer lists every mismatching entity of the file, dashboards too, so that
    one answer names all a file needs; a dashboard's version alone is decided at check 7."""
    distinct = distinct_entries(entries)
    check_references(distinct)
    check_allowed(distinct)
    report_entries = [e for e in distinct if isinstance(e.entity, Report)]
    dashboard_entries = [e for e in distinct if isinstance(e.entity, Dashboard)]
    check_index_versions(report_entries, listing=distinct)
    resolutions = check_definitions(report_entries, definitions)
    check_scope(report_entries, collection)
    check_descriptions(report_entries)
    check_descriptions(dashboard_entries)
    check_dashboard_filters(dashboard_entries)
    check_index_versions(dashboard_entries, listing=dashboard_entries)
    return CheckedImport(distinct, collection.id, resolutions)
