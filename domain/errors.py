"""The one hierarchy of errors the rules raise; entrypoints map each class to a status and code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class DomainError(Exception):
    """A rule said no. `detail` names the entities and fields concerned."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    """Entities asked for by ID do not exist. `ids` holds only the missing ones, in request
    order."""

    def __init__(self, entity_plural: str, ids: Iterable[str]) -> None:
        self.entity_plural = entity_plural
        self.ids = tuple(ids)
        super().__init__(f"Could not find {entity_plural} with IDs [{', '.join(self.ids)}]")


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
    def __init__(self, mismatches: Sequence[IndexMismatch]) -> None:
        self.mismatches = tuple(mismatches)
        listed = ", ".join(
            f"{m.index_name} (file {m.source_version}, here {m.target_version})"
            for m in self.mismatches
        )
        super().__init__(f"Index versions do not match this server: {listed}")
