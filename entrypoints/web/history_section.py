"""What the "History" section of a dashboard or report page shows: the entity's revisions with
their actor and time, and the changes between two of them as `BrowseHistory.diff` finds them
(the one comparison the plan and the dry run make too); this only puts them into words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from application.use_cases.browse_history import BrowseHistory
from domain.errors import NotFound
from domain.history import EntityKey, HistoryEntityType, RevisionEntry
from entrypoints.web.shown_changes import ShownChange, shown_changes

"""Characters of a value shown in a row; the rest is cut with an ellipsis."""
HISTORY_SHOWN = 10
"""Revisions a dashboard or report page lists; its history page lists them all."""
_PLURALS: dict[HistoryEntityType, str] = {"report": "reports", "dashboard": "dashboards"}


def entity_path(key: EntityKey) -> str:
    return f"/{_PLURALS[key.entity_type]}/{quote(key.id, safe='')}"


def history_path(key: EntityKey) -> str:
    return f"{entity_path(key)}/history"


def when(at: datetime) -> str:
    """A moment as the pages show it: minutes, in UTC."""
    return at.strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True, slots=True)
class Comparison:
    earlier: int
    later: int
    changes: tuple[ShownChange, ...]
    omitted: int


@dataclass(frozen=True, slots=True)
class RevisionRow:
    """One revision as the section lists it; `restore_path` None: there is nothing to restore
    (it is what the entity is now, or it marks a delete)."""

    revision: RevisionEntry
    when: str
    restore_path: str | None


@dataclass(frozen=True, slots=True)
class HistorySection:
    key: EntityKey
    revisions: tuple[RevisionEntry, ...]
    """Newest first; at most `shown` of them when the section is a page's part."""
    numbers: tuple[int, ...]
    """Every revision's number, newest first (retention may have left gaps)."""
    deleted: bool
    """Whether the newest revision marks a delete: then every revision can be restored."""
    comparison: Comparison | None

    @property
    def path(self) -> str:
        return history_path(self.key)

    @property
    def newest(self) -> int | None:
        return self.numbers[0] if self.numbers else None

    @property
    def rows(self) -> list[RevisionRow]:
        return [
            RevisionRow(
                r,
                when(r.at),
                f"{entity_path(self.key)}/revisions/{r.number}/restore"
                if self._can_restore(r)
                else None,
            )
            for r in self.revisions
        ]

    def _can_restore(self, revision: RevisionEntry) -> bool:
        """A revision other than what the entity is now, that holds content to go back to."""
        if revision.action == "deleted":
            return False
        return self.deleted or revision.number != self.newest


def history_section(
    browse: BrowseHistory,
    key: EntityKey,
    *,
    earlier: int | None = None,
    later: int | None = None,
    shown: int | None = None,
) -> HistorySection:
    """The entity's revisions, and what changed from `earlier` to `later` (by default from the
    revision before the newest to the newest). An entity history never saw has none."""
    try:
        revisions = browse.revisions(key)
    except NotFound:
        return HistorySection(key, (), (), deleted=False, comparison=None)
    newest = revisions[0]
    comparison = None
    if earlier is not None or later is not None or len(revisions) > 1:
        later = newest.number if later is None else later
        earlier = _before(revisions, later) if earlier is None else earlier
        found = browse.diff(key, earlier, later)
        comparison = Comparison(
            earlier,
            later,
            shown_changes(found),
            found.omitted,
        )
    return HistorySection(
        key,
        tuple(revisions[:shown] if shown is not None else revisions),
        tuple(r.number for r in revisions),
        deleted=newest.action == "deleted",
        comparison=comparison,
    )


def _before(revisions: list[RevisionEntry], number: int) -> int:
    """The revision before `number` (itself when it is the oldest)."""
    older = [r.number for r in revisions if r.number < number]
    return max(older, default=number)
