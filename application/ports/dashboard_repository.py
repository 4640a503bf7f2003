from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Protocol

from domain.dashboard import Dashboard
from domain.overwrite import StoredOrigin


class DashboardReader(Protocol):
    def get_many(self, ids: frozenset[str]) -> Mapping[str, Dashboard]:
        """The stored dashboards among `ids` with their tiles, by ID; unknown IDs are absent.
        A bounded number of queries, whatever the number of IDs."""
        ...

    def ids_in_collection(self, collection_id: str | None) -> list[str]:
        """IDs of the dashboards in a collection (None: in no collection), oldest first."""
        ...

    def origins_in_collection(
        self, collection_id: str, label: str, ids: frozenset[str]
    ) -> list[StoredOrigin]:
        """As for reports."""
        ...

    def sourced_from(self, collection_id: str, label: str) -> list[StoredOrigin]:
        """Every dashboard of the collection whose origin has this source label."""
        ...

    def showing_report(self, report_id: str) -> list[Dashboard]:
        """The dashboards with a tile showing `report_id`."""
        ...


class DashboardRepository(DashboardReader, Protocol):
    def add_all(
        self,
        dashboards: Iterable[Dashboard],
        sources: Mapping[str, str] | None = None,
        label: str = "",
    ) -> None:
        """Stores new dashboards. Every report their tiles name must be stored already (or be
        written earlier in the same unit of work). `sources` and `label` as for reports."""
        ...

    def release_origins(self, collection_id: str, label: str, source_ids: Collection[str]) -> None:
        """As for reports."""
        ...

    def update_all(self, dashboards: Sequence[Dashboard]) -> None:
        """Overwrites stored dashboards' name, description, filters and tiles with these, all
        at once; tiles they no longer have are gone, the reports those showed stay. A few
        statements, whatever the number of dashboards."""
        ...

    def containing_reports(self, report_ids: Collection[str]) -> list[Dashboard]:
        """The dashboards with a tile showing any of `report_ids`, as they are once held
        against other writers (until the unit of work ends), by ID."""
        ...

    def remove_tiles_showing(self, report_ids: Collection[str]) -> None:
        """Deletes every tile that shows one of `report_ids`, on every dashboard; other tiles
        stay as they are (and take no lock on the reports they show)."""
        ...

    def remove(self, dashboard_ids: Collection[str]) -> int:
        """Deletes dashboards and their tiles; their reports stay. How many there were (a
        concurrent unit of work may have deleted some first)."""
        ...
