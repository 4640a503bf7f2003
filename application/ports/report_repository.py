from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from domain.report import Report


class ReportRepository(Protocol):
    def get_many(self, ids: frozenset[str]) -> Mapping[str, Report]:
        """The stored reports among `ids`, by ID; unknown IDs are simply absent. One query."""
        ...

    def ids_in_collection(self, collection_id: str) -> list[str]:
        """IDs of the reports in a collection, oldest first."""
        ...

    def add_all(self, reports: Iterable[Report]) -> None:
        """Stores new reports, with their links to child reports. Combined reports' children
        are either stored already or among `reports`."""
        ...

    def combined_containing(self, report_id: str) -> list[Report]:
        """The combined reports that list `report_id` among their children."""
        ...

    def replace(self, report: Report) -> None:
        """Overwrites a stored report's name, description, data and child links."""
        ...

    def remove(self, report_id: str) -> None:
        """Deletes a report. Tiles and combined reports naming it must be updated first."""
        ...
