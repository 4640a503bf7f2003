"""Process and decision definitions: the ones boardport has been told exist, and the ones a
report names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from domain.entity_type import EntityType
from domain.json_document import JsonValue
from domain.report import Report

ALL_VERSIONS = "all"
LATEST_VERSION = "latest"
_SYMBOLIC_VERSIONS = frozenset({ALL_VERSIONS, LATEST_VERSION})


class DefinitionType(StrEnum):
    PROCESS = "process"
    DECISION = "decision"

    @classmethod
    def of_report(cls, entity_type: EntityType) -> DefinitionType | None:
        return _TYPE_OF_REPORT.get(entity_type)


_TYPE_OF_REPORT = {
    EntityType.SINGLE_PROCESS_REPORT: DefinitionType.PROCESS,
    EntityType.SINGLE_DECISION_REPORT: DefinitionType.DECISION,
}


@dataclass(frozen=True, slots=True)
class Definition:
    """One version of a definition, for one tenant (None: shared by every tenant)."""

    type: DefinitionType
    key: str
    version: str
    tenant_id: str | None
    name: str | None
    xml: str | None

    def serves(self, tenant_ids: Sequence[str | None]) -> bool:
        return self.tenant_id is None or self.tenant_id in tenant_ids


def version_order(version: str) -> tuple[int, int | str]:
    """Numeric versions in numeric order, after any that are not numbers."""
    return (1, int(version)) if version.isdigit() else (0, version)


def next_version(existing: Iterable[str]) -> str:
    numbers = [int(v) for v in existing if v.isdigit()]
    return str(max(numbers, default=0) + 1)


@dataclass(frozen=True, slots=True)
class DefinitionRef:
    """A definition as a report names it: a key, the versions it covers and its tenants."""

    type: DefinitionType
    key: str
    versions: tuple[str, ...]
    tenant_ids: tuple[str | None, ...]
    name: str | None = None

    @property
    def concrete_versions(self) -> tuple[str, ...]:
        """The versions named by number or label; empty when the report covers all or latest."""
        if any(v in _SYMBOLIC_VERSIONS for v in self.versions):
            return ()
        return self.versions


def definition_refs(report: Report) -> tuple[DefinitionRef, ...]:
    """The definitions a single report names, from `data.definitions` (reports written before
    Optimize 3.5 are migrated to that layout when the file is read)."""
    definition_type = DefinitionType.of_report(report.entity_type)
    data = report.data.value
    if definition_type is None or not isinstance(data, dict):
        return ()
    listed = data.get("definitions")
    if not isinstance(listed, list):
        return ()
    return tuple(ref for entry in listed if (ref := _ref(definition_type, entry)) is not None)


def _ref(definition_type: DefinitionType, entry: JsonValue) -> DefinitionRef | None:
    if not isinstance(entry, dict):
        return None
    key = entry.get("key")
    if not isinstance(key, str) or not key:
        return None
    versions = entry.get("versions")
    tenants = entry.get("tenantIds")
    name = entry.get("name")
    return DefinitionRef(
        type=definition_type,
        key=key,
        versions=tuple(v for v in versions if isinstance(v, str))
        if isinstance(versions, list)
        else (),
        tenant_ids=tuple(t for t in tenants if t is None or isinstance(t, str))
        if isinstance(tenants, list) and tenants
        else (None,),
        name=name if isinstance(name, str) else None,
    )


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a named definition resolves to here: the versions the imported report keeps and the
    definition whose XML it carries."""

    kept_versions: tuple[str, ...]
    source: Definition


class DefinitionCatalog:
    """The definitions known here, looked up the way an import needs them."""

    def __init__(self, definitions: Iterable[Definition]) -> None:
        self._by_key: defaultdict[tuple[DefinitionType, str], list[Definition]] = defaultdict(list)
        for definition in definitions:
            self._by_key[(definition.type, definition.key)].append(definition)

    def resolve(self, ref: DefinitionRef) -> Resolution | None:
        """None when the key is unknown for the report's tenants, or when none of the concrete
        versions it names exists here. Unknown concrete versions are dropped."""
        candidates = [d for d in self._by_key[(ref.type, ref.key)] if d.serves(ref.tenant_ids)]
        if not candidates:
            return None
        concrete = ref.concrete_versions
        if concrete:
            known = {d.version for d in candidates}
            kept = tuple(v for v in concrete if v in known)
            if not kept:
                return None
            candidates = [d for d in candidates if d.version in kept]
        else:
            kept = ref.versions
        source = max(candidates, key=lambda d: (version_order(d.version), d.tenant_id is not None))
        return Resolution(kept, source)
