"""Which Optimize release writes which `sourceIndexVersion` numbers (MIGRATIONS.md §1 and §6):
the names a caller may ask for, and the label an entity is read as."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from domain.entity_type import EntityType
from domain.errors import BadRequest


@dataclass(frozen=True, slots=True)
class Release:
    """A release name and the index versions its exports carry."""

    name: str
    process: int
    decision: int
    combined: int
    dashboard: int

    @property
    def numbers(self) -> tuple[int, int, int, int]:
        return (self.process, self.decision, self.combined, self.dashboard)

    def version_of(self, entity_type: EntityType) -> int:
        match entity_type:
            case EntityType.SINGLE_PROCESS_REPORT:
                return self.process
            case EntityType.SINGLE_DECISION_REPORT:
                return self.decision
            case EntityType.COMBINED_REPORT:
                return self.combined
        return self.dashboard


_CURRENT = (11, 10, 5, 8)
_NUMBERS: dict[str, tuple[int, int, int, int]] = {
    "3.3": (5, 5, 4, 4),
    "3.4": (6, 6, 4, 4),
    "3.5": (7, 7, 4, 4),
    "3.6": (8, 8, 4, 4),
    "3.7": (8, 8, 4, 5),
    "3.8": (9, 9, 4, 5),  # MIGRATIONS.md §4: inferred; the steps make 8 or 9 equally safe
    "3.9": (9, 9, 4, 6),
    "3.10": (10, 9, 4, 7),
    **dict.fromkeys(("3.11", "3.12", "3.13", "3.14"), _CURRENT),
    **{f"8.{minor}": _CURRENT for minor in range(3, 11)},
    "latest": _CURRENT,
}

RELEASES = MappingProxyType({name: Release(name, *numbers) for name, numbers in _NUMBERS.items()})
"""Every release a caller may name, oldest first."""
LATEST = RELEASES["latest"]
OLDEST = RELEASES["3.3"]


class UnknownRelease(BadRequest):
    def __init__(self, name: str) -> None:
        super().__init__(
            f'"{name}" is not a release this server can write; known releases: '
            + ", ".join(RELEASES)
        )


def is_current(release: Release) -> bool:
    """Whether the release writes today's format (3.11 and every later one)."""
    return release.numbers == LATEST.numbers


def release_named(name: str | None) -> Release:
    """The release of that name; None or "" is the latest. Raises UnknownRelease naming the
    known ones."""
    if not name:
        return LATEST
    release = RELEASES.get(name.strip())
    if release is None:
        raise UnknownRelease(name)
    return release


def is_supported(entity_type: EntityType, version: int) -> bool:
    """Whether `version` is one this server reads for that type: from 3.3's to the current."""
    return OLDEST.version_of(entity_type) <= version <= LATEST.version_of(entity_type)


@cache  # asked once per entity read: a big file's 11,000 entities have a handful of formats
def format_label(entity_type: EntityType, version: int) -> str:
    """The releases that write `version` for that type, as a range: "3.9", "3.6 to 3.7"."""
    names = [
        n for n, r in RELEASES.items() if n != "latest" and r.version_of(entity_type) == version
    ]
    if not names:
        return "unknown"
    return names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"
