"""In-memory implementations of the ports, for use-case tests: assert on state, not on calls."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Self

from domain.collection import Collection
from domain.dashboard import Dashboard
from domain.report import Report


class FakeReportRepository:
    def __init__(self, reports: Iterable[Report] = ()) -> None:
        self.stored: dict[str, Report] = {r.id: r for r in reports}
        self.lookups = 0

    def get_many(self, ids: frozenset[str]) -> Mapping[str, Report]:
        self.lookups += 1
        return {i: self.stored[i] for i in ids if i in self.stored}

    def ids_in_collection(self, collection_id: str) -> list[str]:
        return [i for i, r in self.stored.items() if r.collection_id == collection_id]

    def add_all(self, reports: Iterable[Report]) -> None:
        for report in reports:
            if report.id in self.stored:
                raise KeyError(f"report {report.id} is stored already")
            self.stored[report.id] = report


class FakeDashboardRepository:
    def __init__(self, dashboards: Iterable[Dashboard] = ()) -> None:
        self.stored: dict[str, Dashboard] = {d.id: d for d in dashboards}

    def get_many(self, ids: frozenset[str]) -> Mapping[str, Dashboard]:
        return {i: self.stored[i] for i in ids if i in self.stored}

    def ids_in_collection(self, collection_id: str) -> list[str]:
        return [i for i, d in self.stored.items() if d.collection_id == collection_id]

    def add_all(self, dashboards: Iterable[Dashboard]) -> None:
        for dashboard in dashboards:
            if dashboard.id in self.stored:
                raise KeyError(f"dashboard {dashboard.id} is stored already")
            self.stored[dashboard.id] = dashboard


class FakeCollectionRepository:
    def __init__(self, collections: Iterable[Collection] = ()) -> None:
        self.stored: dict[str, Collection] = {c.id: c for c in collections}

    def get(self, collection_id: str) -> Collection | None:
        return self.stored.get(collection_id)

    def list_all(self) -> list[Collection]:
        return list(self.stored.values())

    def add(self, collection: Collection) -> None:
        self.stored[collection.id] = collection


class FakeUnitOfWork:
    """Repositories over dictionaries. Work done inside `with` is kept only if `commit()` ran:
    on exit without commit, the repositories go back to what they held on entry."""

    def __init__(
        self,
        *,
        reports: Iterable[Report] = (),
        dashboards: Iterable[Dashboard] = (),
        collections: Iterable[Collection] = (),
    ) -> None:
        self.reports = FakeReportRepository(reports)
        self.dashboards = FakeDashboardRepository(dashboards)
        self.collections = FakeCollectionRepository(collections)
        self.committed = False
        self._snapshot: tuple[dict[str, Report], dict[str, Dashboard], dict[str, Collection]]

    def __enter__(self) -> Self:
        self.committed = False
        self._snapshot = (
            dict(self.reports.stored),
            dict(self.dashboards.stored),
            dict(self.collections.stored),
        )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self.committed:
            self.rollback()

    def commit(self) -> None:
        self.committed = True
        self._snapshot = (
            dict(self.reports.stored),
            dict(self.dashboards.stored),
            dict(self.collections.stored),
        )

    def rollback(self) -> None:
        reports, dashboards, collections = self._snapshot
        self.reports.stored = dict(reports)
        self.dashboards.stored = dict(dashboards)
        self.collections.stored = dict(collections)
