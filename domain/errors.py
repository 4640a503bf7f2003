"""The one hierarchy of errors the rules raise; entrypoints map each class to a status and code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class DomainError(Exception):
    """A rule said no. `detail` names the entities and fields concerned; `limit`, when a
    configurable input limit was passed, names its `InputLimits` field, so that an entrypoint
    can tell the operator which setting it is."""

    def __init__(self, detail: str, *, limit: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.limit = limit


class NotFound(DomainError):
    """Entities asked for by ID do not exist. `ids` holds only the missing ones, in request
    order."""

    def __init__(self, entity_plural: str, ids: Iterable[str]) -> None:
        self.entity_plural = entity_plural
        self.ids = tuple(ids)
        super().__init__(f"Could not find {entity_plural} with IDs [{', '.join(self.ids)}]")


class NotAuthorized(DomainError):
    """The request carries no credentials that grant access; `detail` says why, never the
    credentials themselves."""


class BadRequest(DomainError):
    """A request that is malformed outside an import file, or asks for something not allowed."""


class DanglingReference(DomainError):
    """Stored data points at a report that is gone: a broken invariant, not a client mistake."""

    def __init__(self, detail: str, missing_ids: Iterable[str]) -> None:
        super().__init__(detail)
        self.missing_ids = tuple(missing_ids)


class ImportRejected(DomainError):
    """An import file failed one of the contract's checks; nothing was written."""


class ImportFileInvalid(ImportRejected):
    """The file is not a list of well-formed export entities."""


@dataclass(frozen=True, slots=True)
class IndexMismatch:
    index_name: str
    source_version: int | None
    target_version: int


class IndexVersionMismatch(ImportRejected):
    """Entities written by another storage version. `mismatches` holds each mismatching index
    once, as Optimize answers; the detail names every mismatching entity."""

    def __init__(self, mismatches: Sequence[tuple[str, IndexMismatch]]) -> None:
        self.mismatches = tuple(dict.fromkeys(m for _, m in mismatches))
        listed = "; ".join(
            f"{label} has version {_shown(m.source_version)}, this server needs {m.target_version}"
            for label, m in mismatches
        )
        super().__init__(f"Index versions do not match this server: {listed}")


def _shown(version: int | None) -> str:
    return "none" if version is None else str(version)


@dataclass(frozen=True, slots=True)
class MissingDefinition:
    type: str
    key: str
    versions: tuple[str, ...]
    tenant_ids: tuple[str | None, ...]


class DefinitionsDoNotExist(ImportRejected):
    def __init__(self, definitions: Sequence[MissingDefinition], report_labels: Sequence[str]):
        self.definitions = tuple(definitions)
        named = ", ".join(f"{d.type} {d.key}" for d in self.definitions)
        super().__init__(
            f"Definitions not known here: {named} (needed by {', '.join(report_labels)}). "
            "Register them first, for example with `boardport definitions from-export`."
        )


class DescriptionInvalid(ImportRejected):
    """A description is empty or longer than the contract allows."""


@dataclass(frozen=True, slots=True)
class ConflictedCollection:
    id: str
    name: str


class ScopeConflict(ImportRejected):
    """A report's definition, or its tenants, are not in the target collection's scope."""

    def __init__(self, detail: str, collection: ConflictedCollection) -> None:
        super().__init__(detail)
        self.collection = collection


class DefinitionScopeConflict(ScopeConflict):
    pass


class TenantScopeConflict(ScopeConflict):
    pass


class DefinitionInvalid(BadRequest):
    """A definition to register is not usable: bad XML, no key, an unknown type."""


class OverwriteConflict(ImportRejected):
    """An overwriting import cannot tell what to overwrite: an entity of the file matches a
    stored entity of another type, or two entities of the file match the same stored one."""


class IdempotencyKeyReused(DomainError):
    """An `Idempotency-Key` sent again with another request than the one it first came with."""


class IdempotencyKeyInProgress(DomainError):
    """An `Idempotency-Key` whose first request still runs: try again in a moment."""
