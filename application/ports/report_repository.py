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
