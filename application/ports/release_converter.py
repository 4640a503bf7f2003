from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from domain.json_document import JsonValue


class ConversionUnavailable(Exception):
    """This build cannot write the release the target asked for."""


@dataclass(frozen=True, slots=True)
class ConvertedEntities:
    release: str
    entities: list[JsonValue]
    losses: tuple[str, ...] = ()
    """What the release's format could not hold, one line per entity and field."""


class ReleaseConverter(Protocol):
    """Writes export entities in the format of another Optimize release (MIGRATIONS.md §6)."""

    def release_of(self, mismatching_indices: Sequence[JsonValue]) -> str | None:
        """The release whose index versions an `importIndexVersionMismatch` answer names, or
        None when no known release has them."""
        ...

    def convert(self, entities: Sequence[JsonValue], release: str) -> ConvertedEntities:
        """The entities in that release's format, with what was lost. Raises
        ConversionUnavailable when the release cannot be written."""
        ...
