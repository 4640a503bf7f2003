"""A collection's page, at any size: one list of its dashboards and reports, a page at a time,
searched, filtered by type and sorted by storage; and the export of what is ticked on it, or of
everything its search matches, as one file."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from application.ports.collection_listing import (
    DEFAULT_PAGE_SIZE,
    PAGE_SIZES,
    ListingQuery,
    ListingSort,
)
from application.use_cases.list_collection_page import CollectionPage, ListCollectionPage
from domain.entity_type import EntityType
from domain.errors import BadRequest
from entrypoints.web.pages import (
    OUTSIDE_COLLECTIONS,
    RELEASE_CHOICES,
    TYPE_NAMES,
    collection_path,
)

TYPE_FILTERS: dict[str, frozenset[EntityType]] = {
    "all": frozenset(EntityType),
    "dashboard": frozenset({EntityType.DASHBOARD}),
    "process": frozenset({EntityType.SINGLE_PROCESS_REPORT}),
    "decision": frozenset({EntityType.SINGLE_DECISION_REPORT}),
    "combined": frozenset({EntityType.COMBINED_REPORT}),
}
TYPE_FILTER_NAMES = {
    "all": "All types",
    "dashboard": "Dashboards",
    "process": "Process reports",
    "decision": "Decision reports",
    "combined": "Combined reports",
}
SORTS = {s.value: s for s in ListingSort}
SORT_NAMES = {"created": "Oldest first", "name": "Name", "type": "Type", "changed": "Last change"}


@dataclass(frozen=True, slots=True)
class ListingView:
    """What the page was asked for, as its address says it; `link` is the address with some of
    it changed (the page number goes back to 1 unless it is the change)."""

    base: str
    q: str = ""
    type: str = "all"
    sort: str = "created"
    order: str = "asc"
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    select: str = ""
    """"page": every box of the page comes ticked."""

    @classmethod
    def read(
        cls,
        base: str,
        *,
        q: str,
        type_: str,
        sort: str,
        order: str,
        page: int,
        size: int,
        select: str = "",
    ) -> ListingView:
        if type_ not in TYPE_FILTERS:
            raise BadRequest(f"The type {type_!r} is not one of {', '.join(TYPE_FILTERS)}.")
        if sort not in SORTS:
            raise BadRequest(f"The sort {sort!r} is not one of {', '.join(SORTS)}.")
        if order not in ("asc", "desc"):
            raise BadRequest(f"The order {order!r} is not asc or desc.")
        return cls(base, q.strip(), type_, sort, order, page, size, "page" if select else "")

    def query(self, collection_id: str | None) -> ListingQuery:
        return ListingQuery(
            collection_id,
            self.q,
            TYPE_FILTERS[self.type],
            SORTS[self.sort],
            descending=self.order == "desc",
        )

    def link(self, **changes: Any) -> str:
        changed = replace(self, **{"page": 1, "select": "", **changes})
        defaults = ListingView(self.base)
        params = {
            name: getattr(changed, name)
            for name in ("q", "type", "sort", "order", "page", "size", "select")
            if getattr(changed, name) != getattr(defaults, name)
        }
        return f"{self.base}?{urlencode(params)}" if params else self.base

    def sort_link(self, sort: str) -> str:
        """Sorted by `sort`; the same column again turns the order round. The last change comes
        newest first."""
        first, other = ("desc", "asc") if sort == "changed" else ("asc", "desc")
        order = other if self.sort == sort and self.order == first else first
        return self.link(sort=sort, order=order)

    def aria_sort(self, sort: str) -> str | None:
        if self.sort != sort:
            return None
        return "ascending" if self.order == "asc" else "descending"


class CollectionPages(Controller):
    """The router's guard lets only a signed-in session through."""

    path = "/"
    include_in_schema = False

    @get("/collections/{collection_id:str}", sync_to_thread=True)
    def collection(
        self,
        *,
        collection_id: FromPath[str],
        list_collection_page: NamedDependency[ListCollectionPage],
        q: FromQuery[str] = "",
        type: FromQuery[str] = "all",  # noqa: A002 - the address's word
        sort: FromQuery[str] = "created",
        order: FromQuery[str] = "asc",
        page: FromQuery[int] = 1,
        size: FromQuery[int] = DEFAULT_PAGE_SIZE,
        select: FromQuery[str] = "",
    ) -> Template:
        view = ListingView.read(
            collection_path(collection_id),
            q=q,
            type_=type,
            sort=sort,
            order=order,
            page=page,
            size=size,
            select=select,
        )
        return _collection_page(list_collection_page, collection_id, view)

    @get(OUTSIDE_COLLECTIONS, sync_to_thread=True)
    def outside_collections(
        self,
        *,
        list_collection_page: NamedDependency[ListCollectionPage],
        q: FromQuery[str] = "",
        type: FromQuery[str] = "all",  # noqa: A002 - the address's word
        sort: FromQuery[str] = "created",
        order: FromQuery[str] = "asc",
        page: FromQuery[int] = 1,
        size: FromQuery[int] = DEFAULT_PAGE_SIZE,
        select: FromQuery[str] = "",
    ) -> Template:
        view = ListingView.read(
            OUTSIDE_COLLECTIONS,
            q=q,
            type_=type,
            sort=sort,
            order=order,
            page=page,
            size=size,
            select=select,
        )
        return _collection_page(list_collection_page, None, view)


def _collection_page(
    listing: ListCollectionPage, collection_id: str | None, view: ListingView
) -> Template:
    shown: CollectionPage = listing(view.query(collection_id), view.page, view.size)
    title = shown.collection.name if shown.collection else "Outside any collection"
    counts = shown.listing.by_type
    filter_counts = {
        name: sum(counts.get(t, 0) for t in types) for name, types in TYPE_FILTERS.items()
    }
    first = (shown.number - 1) * shown.size + 1
    return Template(
        "collection.html",
        context={
            "title": title,
            "collection_id": collection_id,
            "view": view,
            "shown": shown,
            "entries": shown.listing.entries,
            "first": first,
            "last": first + len(shown.listing.entries) - 1,
            "ticked": view.select == "page",
            "filters": TYPE_FILTER_NAMES,
            "filter_counts": filter_counts,
            "sorts": SORT_NAMES,
            "page_sizes": PAGE_SIZES,
            "type_names": TYPE_NAMES,
            "releases": RELEASE_CHOICES,
        },
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
