from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from domain.dashboard import Dashboard


class DashboardRepository(Protocol):
    def get_many(self, ids: frozenset[str]) -> Mapping[str, Dashboard]:
        """The stored dashboards among `ids` with their tiles, by ID; unknown IDs are absent.
        A bounded number of queries, whatever the number of IDs."""
        ...

    def ids_in_collection(self, collection_id: str) -> list[str]:
        """IDs of the dashboards in a collection, oldest first."""
        ...

    def add_all(self, dashboards: Iterable[Dashboard]) -> None:
        """Stores new dashboards. Every report their tiles name must be stored already (or be
        written earlier in the same unit of work)."""
        ...
