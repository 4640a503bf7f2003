from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
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

    def origins_in_collection(self, collection_id: str, ids: frozenset[str]) -> list[StoredOrigin]:
        """The reports of the collection that were imported from one of `ids` or have one of
        them as their ID, with the source ID each remembers. One query."""
        ...

    def combining(self, report_id: str) -> list[Report]:
        """The combined reports that list `report_id` among their children."""
        ...


class ReportRepository(ReportReader, Protocol):
    def add_all(self, reports: Iterable[Report], sources: Mapping[str, str] | None = None) -> None:
        """Stores new reports, with their links to child reports. Combined reports' children
        are either stored already or among `reports`. `sources` gives, by new ID, the ID in
        the file a report was imported from, remembered for a later overwrite; a collection
        refuses a second report of the same source ID."""
        ...

    def lock(self, report_id: str) -> Report | None:
        """The report, held against other writers until the unit of work ends; None when it
        does not exist (or a concurrent unit of work deleted it first)."""
        ...

    def combined_containing(self, report_id: str) -> list[Report]:
        """The combined reports that list `report_id` among their children, as they are once
        held against other writers (until the unit of work ends)."""
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

    def remove(self, report_id: str) -> None:
        """Deletes a report. Tiles and combined reports naming it must be updated first."""
        ...
