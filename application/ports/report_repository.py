from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Protocol

from domain.overwrite import StoredOrigin
from domain.report import Report, ReportOutline


class ReportReader(Protocol):
    def get_many(self, ids: frozenset[str]) -> Mapping[str, Report]:
        """The stored reports among `ids`, by ID; unknown IDs are simply absent. One query."""
        ...

    def outlines(self, ids: frozenset[str]) -> Mapping[str, ReportOutline]:
        """The stored reports among `ids` without their data, by ID. One query, and one more
        for the children of combined reports."""
        ...

    def stream_in_order(self, outlines: Sequence[ReportOutline]) -> Iterator[Report]:
        """The outlined reports, data included, in the outlines' order, read as they are
        consumed: one query whose rows arrive in batches, so the data is never all in memory.
        Consume it inside the unit of work that gave the outlines: in its snapshot, every
        outlined report is still there."""
        ...

    def ids_in_collection(self, collection_id: str | None) -> list[str]:
        """IDs of the reports in a collection (None: in no collection), oldest first."""
        ...

    def origins_in_collection(
        self, collection_id: str, label: str, ids: frozenset[str]
    ) -> list[StoredOrigin]:
        """The reports of the collection whose origin (with this source label) is one of
        `ids`, or whose ID is one of them, with the source ID of that origin (None when they
        have none of this label). Two queries on indexes."""
        ...

    def sourced_from(self, collection_id: str, label: str) -> list[StoredOrigin]:
        """Every report of the collection whose origin has this source label."""
        ...

    def combining(self, report_id: str) -> list[Report]:
        """The combined reports that list `report_id` among their children."""
        ...


class ReportRepository(ReportReader, Protocol):
    def add_all(
        self, reports: Iterable[Report], sources: Mapping[str, str] | None = None, label: str = ""
    ) -> None:
        """Stores new reports, with their links to child reports. Combined reports' children
        are either stored already or among `reports`. `sources` gives, by new ID, the ID in
        the file a report was imported from: with `label`, its origin, which a collection
        refuses twice (`release_origins` lets an older copy's go first)."""
        ...

    def release_origins(self, collection_id: str, label: str, source_ids: Collection[str]) -> None:
        """The reports of the collection that hold one of these origins lose it: a newer copy
        of the same source ID is about to take it over."""
        ...

    def lock(self, report_ids: Collection[str]) -> Mapping[str, Report]:
        """The reports, held against other writers until the unit of work ends, in ID order;
        those that do not exist (or a concurrent unit of work deleted first) are absent."""
        ...

    def combined_containing(self, report_ids: Collection[str]) -> list[Report]:
        """The combined reports that list any of `report_ids` among their children, as they
        are once held against other writers (until the unit of work ends), by ID."""
        ...

    def replace(self, report: Report) -> None:
        """Overwrites a stored report's name, description and data, and brings its child links
        to `report.child_ids`. Links that only go away are deleted, nothing is rewritten, so a
        report losing a child takes no lock on its other children."""
        ...

    def update_all(self, reports: Sequence[Report]) -> None:
        """Overwrites stored reports' name, description and data, and their child links with
        `child_ids`, all at once; what an overwriting import updates. A few statements,
        whatever the number of reports."""
        ...

    def remove(self, report_ids: Collection[str]) -> None:
        """Deletes reports. Tiles and combined reports naming them must be updated first."""
        ...
