"""The import rules of the contract, checks 3 to 7, and what a valid file becomes: new entities
under new IDs in the target collection, references rewritten. Nothing here writes; the caller
stores the plan in one transaction, or not at all."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal, TypeVar

from domain.collection import Collection
from domain.dashboard import Dashboard, Tile
from domain.dashboard_filters import filter_problems
from domain.definition import DefinitionCatalog, DefinitionRef, Resolution
from domain.entity_type import EntityType
from domain.errors import (
    BadRequest,
    ConflictedCollection,
    DefinitionScopeConflict,
    DefinitionsDoNotExist,
    DescriptionInvalid,
    ImportFileInvalid,
    IndexMismatch,
    IndexVersionMismatch,
    MissingDefinition,
    TenantScopeConflict,
)
from domain.export_format.reader import FileEntry
from domain.index_version import CURRENT_INDEX_VERSIONS
from domain.json_document import JsonDocument, JsonValue
from domain.report import Report

MAX_DESCRIPTION_LENGTH = 400
T = TypeVar("T")


Action = Literal["created", "updated", "unchanged"]


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

    def sources(self, taken: Container[str] = ()) -> dict[str, str]:
        """The source ID of each entity this plan creates, by its new ID, leaving out source
        IDs in `taken`: an entity of the collection that came from the same source already
        is the one a later overwrite finds."""
        return {
            item.id: item.source_id
            for item in self.items
            if item.id is not None
            and item.action in {None, "created"}
            and item.source_id not in taken
        }


def referenced_definitions(entries: Iterable[FileEntry]) -> tuple[DefinitionRef, ...]:
    return tuple(ref for e in entries for ref in e.refs)


def distinct_entries(entries: Sequence[FileEntry]) -> tuple[FileEntry, ...]:
    """Check 3: identical entities with the same ID collapse to one; different ones are refused."""
    first: dict[str, FileEntry] = {}
    conflicting: list[str] = []
    for entry in entries:
        seen = first.get(entry.entity.id)
        if seen is None:
            first[entry.entity.id] = entry
        elif _comparable(seen) != _comparable(entry) and entry.entity.id not in conflicting:
            conflicting.append(entry.entity.id)
    if conflicting:
        raise ImportFileInvalid(
            "The file holds different entities with the same ID: "
            + ", ".join(f'"{i}"' for i in conflicting)
        )
    return tuple(first.values())


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
                    _imported_report(entry, self.collection_id, target_ids, self.resolutions)
                )
                items.append(ImportedItem(target_ids[entity.id], "report", entity.id))
            else:
                dashboards.append(_imported_dashboard(entity, self.collection_id, target_ids))
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
    _check_references(distinct)
    _check_allowed(distinct)
    report_entries = [e for e in distinct if isinstance(e.entity, Report)]
    dashboard_entries = [e for e in distinct if isinstance(e.entity, Dashboard)]
    _check_index_versions(report_entries, listing=distinct)
    resolutions = _check_definitions(report_entries, definitions)
    _check_scope(report_entries, collection)
    _check_descriptions(report_entries)
    _check_descriptions(dashboard_entries)
    _check_dashboard_filters(dashboard_entries)
    _check_index_versions(dashboard_entries, listing=dashboard_entries)
    return CheckedImport(distinct, collection.id, resolutions)


def _comparable(entry: FileEntry) -> tuple[object, ...]:
    # collectionId says where an entity was exported from; import ignores it.
    return (replace(entry.entity, collection_id=None), entry.source_index_version)


def _check_references(entries: Sequence[FileEntry]) -> None:
    """Check 4: every report a tile or a combined report names is in the file."""
    types = {e.entity.id: e.entity_type for e in entries}
    missing: dict[str, None] = {}
    wrong: list[str] = []
    for entry in entries:
        entity = entry.entity
        named = entity.report_ids() if isinstance(entity, Dashboard) else entity.child_ids
        for report_id in named:
            kind = types.get(report_id)
            if kind is None:
                missing[report_id] = None
            elif kind is EntityType.DASHBOARD or (
                isinstance(entity, Report) and kind is EntityType.COMBINED_REPORT
            ):
                wrong.append(f'{entry.label} names "{report_id}", which is a {kind.value}')
    if missing:
        raise ImportFileInvalid(
            "Reports referenced in the file are not in it: " + ", ".join(f'"{i}"' for i in missing)
        )
    if wrong:
        raise ImportFileInvalid("; ".join(wrong))


def _check_allowed(entries: Sequence[FileEntry]) -> None:
    """Check 5: instant-preview dashboards and reports and management reports are Optimize's
    own, generated per installation; they are not imported."""
    refused: list[str] = []
    for entry in entries:
        entity = entry.entity
        if isinstance(entity, Report) and entity.is_management:
            refused.append(f"{entry.label} is a management report")
        elif isinstance(entity, Report) and entity.is_instant_preview:
            refused.append(f"{entry.label} is an instant-preview report")
        elif entry.instant_preview_dashboard:
            refused.append(f"{entry.label} is an instant-preview dashboard")
    if refused:
        raise BadRequest("These entities cannot be imported: " + "; ".join(refused))


def _check_index_versions(deciding: Sequence[FileEntry], listing: Sequence[FileEntry]) -> None:
    """Refuses when an entity of `deciding` has another index version, naming every one of
    `listing` that does."""
    if all(_current_version(e) for e in deciding):
        return
    mismatches: list[tuple[str, IndexMismatch]] = []
    for entry in listing:
        current = CURRENT_INDEX_VERSIONS[entry.entity_type]
        if entry.source_index_version != current.version:
            mismatch = IndexMismatch(
                current.index_name, entry.source_index_version, current.version
            )
            mismatches.append((entry.label, mismatch))
    if mismatches:
        raise IndexVersionMismatch(mismatches)


def _current_version(entry: FileEntry) -> bool:
    return entry.source_index_version == CURRENT_INDEX_VERSIONS[entry.entity_type].version


def _check_definitions(
    entries: Sequence[FileEntry], catalog: DefinitionCatalog
) -> dict[tuple[str, DefinitionRef], Resolution]:
    resolutions: dict[tuple[str, DefinitionRef], Resolution] = {}
    missing: dict[tuple[str, str], MissingDefinition] = {}
    needed_by: list[str] = []
    for entry in entries:
        for ref in entry.refs:
            resolution = catalog.resolve(ref)
            if resolution is not None:
                resolutions[(entry.entity.id, ref)] = resolution
                continue
            key = (ref.type.value, ref.key)
            known = missing.get(key)
            versions = ref.versions if known is None else known.versions + ref.versions
            tenants = ref.tenant_ids if known is None else known.tenant_ids + ref.tenant_ids
            missing[key] = MissingDefinition(
                ref.type.value, ref.key, _unique(versions), _unique(tenants)
            )
            if entry.label not in needed_by:
                needed_by.append(entry.label)
    if missing:
        raise DefinitionsDoNotExist(list(missing.values()), needed_by)
    return resolutions


def _check_scope(entries: Sequence[FileEntry], collection: Collection) -> None:
    outside: list[str] = []
    tenants_outside: list[str] = []
    for entry in entries:
        for ref in entry.refs:
            scope = collection.scope_entry(ref.type, ref.key)
            if scope is None:
                outside.append(f"{entry.label} ({ref.type.value} {ref.key})")
                continue
            extra = [t for t in ref.tenant_ids if t not in scope.tenants]
            if extra:
                shown = ", ".join("null" if t is None else t for t in extra)
                tenants_outside.append(f"{entry.label} ({ref.type.value} {ref.key}: {shown})")
    conflicted = ConflictedCollection(collection.id, collection.name)
    if outside:
        raise DefinitionScopeConflict(
            f'Collection "{collection.name}" does not have these definitions in its scope: '
            + "; ".join(outside),
            conflicted,
        )
    if tenants_outside:
        raise TenantScopeConflict(
            f'Collection "{collection.name}" does not have these tenants in its scope: '
            + "; ".join(tenants_outside),
            conflicted,
        )


def description_problem(label: str, description: str | None) -> str | None:
    if description is None:
        return None
    if description == "":
        return f"{label} has an empty description; leave it out or write one"
    if len(description) > MAX_DESCRIPTION_LENGTH:
        return (
            f"{label} has a description of {len(description)} characters; "
            f"at most {MAX_DESCRIPTION_LENGTH} are allowed"
        )
    return None


def _check_descriptions(entries: Sequence[FileEntry]) -> None:
    problems = [
        p for e in entries if (p := description_problem(e.label, e.entity.description)) is not None
    ]
    if problems:
        raise DescriptionInvalid("; ".join(problems))


def _check_dashboard_filters(entries: Sequence[FileEntry]) -> None:
    problems = [
        f"{entry.label}: {problem}"
        for entry in entries
        if isinstance(entry.entity, Dashboard)
        for problem in filter_problems(entry.entity.available_filters.value)
    ]
    if problems:
        raise ImportFileInvalid("Invalid dashboard filters: " + "; ".join(problems))


def _imported_report(
    entry: FileEntry,
    collection_id: str,
    new_ids: Mapping[str, str],
    resolutions: Mapping[tuple[str, DefinitionRef], Resolution],
) -> Report:
    report = entry.entity
    assert isinstance(report, Report)  # noqa: S101 - the caller passes report entries only
    refs = entry.refs
    chosen = [resolutions[(report.id, ref)] for ref in refs]
    children = tuple(new_ids[c] for c in report.child_ids)
    data = report.data
    if (
        children
        or any(r.kept_versions != ref.versions for r, ref in zip(chosen, refs, strict=True))
        or (chosen and chosen[0].source.xml is not None)
    ):
        data = JsonDocument.from_value(_rewritten_data(report, new_ids, refs, chosen))
    # Constructors, not dataclasses.replace: an import re-keys tens of thousands of these.
    return Report(
        new_ids[report.id],
        report.entity_type,
        report.name,
        report.description,
        collection_id,
        data,
        children,
    )


def _rewritten_data(
    report: Report,
    new_ids: Mapping[str, str],
    refs: Sequence[DefinitionRef],
    chosen: Sequence[Resolution],
) -> JsonValue:
    """The report's data with what an import changes: child IDs, kept versions, the target's
    XML. New containers are built only along the changed paths; everything else is shared with
    the parsed file, which nothing mutates, so a 25 KB report is not copied to change 100 bytes."""
    original = report.data.value
    assert isinstance(original, dict)  # noqa: S101 - the file reader only accepts object data
    data = dict(original)
    entries = data.get("reports")
    if report.is_combined and isinstance(entries, list):
        data["reports"] = [_renamed_child(entry, new_ids) for entry in entries]
    changed_versions = {
        position: resolution.kept_versions
        for position, (ref, resolution) in enumerate(zip(refs, chosen, strict=True))
        if resolution.kept_versions != ref.versions
    }
    if changed_versions:
        _keep_versions(data, refs, changed_versions)
    configuration = data.get("configuration")
    if chosen and chosen[0].source.xml is not None and isinstance(configuration, dict):
        data["configuration"] = {**configuration, "xml": chosen[0].source.xml}
    return data


def _renamed_child(entry: JsonValue, new_ids: Mapping[str, str]) -> JsonValue:
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        return {**entry, "id": new_ids[str(entry["id"])]}
    return entry


def _keep_versions(
    data: dict[str, JsonValue],
    refs: Sequence[DefinitionRef],
    changed: dict[int, tuple[str, ...]],
) -> None:
    definitions = data.get("definitions")
    if not isinstance(definitions, list):  # the layout before Optimize 3.5: one definition
        data[f"{refs[0].type.value}DefinitionVersions"] = list(changed[0])
        return
    rewritten: list[JsonValue] = []
    position = 0
    for entry in definitions:
        # Positions count the entries that name a definition, as `definition_refs` reads them.
        if isinstance(entry, dict) and isinstance(entry.get("key"), str) and entry.get("key"):
            kept = changed.get(position)
            position += 1
            if kept is not None:
                versions: JsonValue = list(kept)
                rewritten.append({**entry, "versions": versions})
                continue
        rewritten.append(entry)
    data["definitions"] = rewritten


def _imported_dashboard(
    dashboard: Dashboard, collection_id: str, new_ids: Mapping[str, str]
) -> Dashboard:
    tiles = tuple(
        Tile(
            tile.type,
            new_ids[tile.report_id],
            tile.x,
            tile.y,
            tile.width,
            tile.height,
            tile.configuration,
        )
        if tile.report_id is not None
        else tile
        for tile in dashboard.tiles
    )
    return Dashboard(
        new_ids[dashboard.id],
        dashboard.name,
        dashboard.description,
        collection_id,
        tiles,
        dashboard.available_filters,
    )


def _unique(values: Iterable[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(values))
