"""A collection's dashboards and reports as one list, one page at a time: filtered by type and
by a part of the name, sorted, and counted, all by storage (the list may hold thousands)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from domain.collection import Collection
from domain.entity_type import EntityType

PAGE_SIZES = (20, 50, 100)
DEFAULT_PAGE_SIZE = 50


class ListingSort(StrEnum):
    """What the list is sorted by; ties go by ID, so paging never repeats or skips an entry."""

    CREATED = "created"
    NAME = "name"
    TYPE = "type"
    """Dashboards, then process, decision and combined reports; by name within each."""
    CHANGED = "changed"
    """By the newest change history holds of each (its creation when it holds none)."""


@dataclass(frozen=True, slots=True)
class ListingQuery:
    """Which entities of a collection (`collection_id` None: of no collection): those of
    `types` whose name holds `name_part` (case aside), in `sort` order."""

    collection_id: str | None
    name_part: str = ""
    types: frozenset[EntityType] = frozenset(EntityType)
    sort: ListingSort = ListingSort.CREATED
    descending: bool = False


@dataclass(frozen=True, slots=True)
class ListedEntity:
    """One row of the list: a dashboard (with its number of tiles) or a report (with its
    visualization, '' when it has none)."""

    id: str
    name: str
    entity_type: EntityType
    created: datetime
    tiles: int = 0
    visualization: str = ""


@dataclass(frozen=True, slots=True)
class ListingPage:
    entries: tuple[ListedEntity, ...]
    matching: int
    """How many entities match the query, on every page."""
    by_type: Mapping[EntityType, int] = field(default_factory=dict)
    """How many entities of each type hold the name part, whatever types were asked for."""
    collection: Collection | None = None
    """The collection listed, as the same snapshot holds it (None: outside every one)."""


@dataclass(frozen=True, slots=True)
class MatchingIds:
    """Every entity that matches a query, in its order: what "all N matching" exports."""

    dashboards: tuple[str, ...]
    reports: tuple[str, ...]


class CollectionListing(Protocol):
    def page(self, query: ListingQuery, offset: int, limit: int) -> ListingPage | None:
        """The matching entities from `offset` on, at most `limit` of them, with the counts
        and the collection; None when the collection does not exist. A few queries, whatever
        the size of the collection; entities outside the page are neither read nor sent."""
        ...

    def matching_ids(self, query: ListingQuery) -> MatchingIds:
        """The IDs of every matching entity, in the query's order. One query."""
        ...
