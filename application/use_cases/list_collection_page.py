from __future__ import annotations

from dataclasses import dataclass

from application.ports.collection_listing import (
    DEFAULT_PAGE_SIZE,
    PAGE_SIZES,
    CollectionListing,
    ListingPage,
    ListingQuery,
    MatchingIds,
)
from application.ports.unit_of_work import ReadingUnitOfWork
from domain.collection import Collection
from domain.errors import BadRequest, NotFound


@dataclass(frozen=True, slots=True)
class CollectionPage:
    """One page of a collection's list (`collection` None: what lies outside every
    collection); `number` counts from 1, and `pages` is at least 1."""

    listing: ListingPage
    number: int
    size: int

    @property
    def collection(self) -> Collection | None:
        return self.listing.collection

    @property
    def pages(self) -> int:
        return max(-(-self.listing.matching // self.size), 1)


class ListCollectionPage:
    """A page of a collection's dashboards and reports, and every ID a query matches."""

    def __init__(self, uow: ReadingUnitOfWork, listing: CollectionListing) -> None:
        self._uow = uow
        self._listing = listing

    def __call__(
        self, query: ListingQuery, number: int = 1, size: int = DEFAULT_PAGE_SIZE
    ) -> CollectionPage:
        """Raises NotFound for an unknown collection, BadRequest for a page size other than
        20, 50 or 100 or a page number below 1. A page past the last is empty."""
        if size not in PAGE_SIZES:
            raise BadRequest(f"The page size {size} is not one of 20, 50 and 100.")
        if number < 1:
            raise BadRequest(f"The page number {number} is not 1 or more.")
        listing = self._listing.page(query, (number - 1) * size, size)
        if listing is None:
            raise NotFound("collections", [str(query.collection_id)])
        return CollectionPage(listing, number, size)

    def matching_ids(self, query: ListingQuery) -> MatchingIds:
        self._collection(query.collection_id)
        return self._listing.matching_ids(query)

    def _collection(self, collection_id: str | None) -> Collection | None:
        if collection_id is None:
            return None
        with self._uow as uow:
            collection = uow.collections.get(collection_id)
        if collection is None:
            raise NotFound("collections", [collection_id])
        return collection
