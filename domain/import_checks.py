"""The import rules of the contract, checks 3 to 7, each on its own: `import_plan.check_import`
runs them in the contract's order. Each raises the contract's error naming every entity that
fails it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TypeVar

from domain.collection import Collection
from domain.dashboard import Dashboard
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
from domain.report import Report

MAX_DESCRIPTION_LENGTH = 400
T = TypeVar("T")


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


def _comparable(entry: FileEntry) -> tuple[object, ...]:
    # collectionId says where an entity was exported from; import ignores it.
    return (replace(entry.entity, collection_id=None), entry.source_index_version)


def check_references(entries: Sequence[FileEntry]) -> None:
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


def check_allowed(entries: Sequence[FileEntry]) -> None:
    """Check 5: instant-preview dashboards and reports and management reports are Optimize's
    own, generated per installation; they are not imported."""
    refused: list[str] = []
    for entry in entries:
        entity = entry.entity
        if isinstance(entity, Report) and _flag(entry.management, entity, "is_management"):
            refused.append(f"{entry.label} is a management report")
        elif isinstance(entity, Report) and _flag(
            entry.instant_preview, entity, "is_instant_preview"
        ):
            refused.append(f"{entry.label} is an instant-preview report")
        elif entry.instant_preview_dashboard:
            refused.append(f"{entry.label} is an instant-preview dashboard")
    if refused:
        raise BadRequest("These entities cannot be imported: " + "; ".join(refused))


def _flag(read: bool | None, report: Report, name: str) -> bool:
    """A flag of the report's data: as the file reader read it, else read now."""
    return read if read is not None else bool(getattr(report, name))


def check_index_versions(deciding: Sequence[FileEntry], listing: Sequence[FileEntry]) -> None:
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


def check_definitions(
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


def check_scope(entries: Sequence[FileEntry], collection: Collection) -> None:
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


def check_descriptions(entries: Sequence[FileEntry]) -> None:
    problems = [
        p for e in entries if (p := description_problem(e.label, e.entity.description)) is not None
    ]
    if problems:
        raise DescriptionInvalid("; ".join(problems))


def check_dashboard_filters(entries: Sequence[FileEntry]) -> None:
    problems = [
        f"{entry.label}: {problem}"
        for entry in entries
        if isinstance(entry.entity, Dashboard)
        for problem in filter_problems(entry.entity.available_filters.value)
    ]
    if problems:
        raise ImportFileInvalid("Invalid dashboard filters: " + "; ".join(problems))


def _unique(values: Iterable[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(values))
