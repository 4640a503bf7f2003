from __future__ import annotations

from dataclasses import dataclass

from application.ports.unit_of_work import WritingUnitOfWork
from domain.collection import Collection
from domain.dashboard import Dashboard
from domain.report import Report


@dataclass(frozen=True, slots=True)
class Seed:
    """Entities to be stored under their own IDs, such as the demo data."""

    collections: tuple[Collection, ...] = ()
    reports: tuple[Report, ...] = ()
    dashboards: tuple[Dashboard, ...] = ()


@dataclass(frozen=True, slots=True)
class SeedResult:
    added: int
    already_present: int


class LoadSeed:
    """Stores each seed entity whose ID is not taken yet, in one transaction; loading the same
    seed twice adds nothing the second time."""

    def __init__(self, uow: WritingUnitOfWork) -> None:
        self._uow = uow

    def __call__(self, seed: Seed) -> SeedResult:
        with self._uow as uow:
            collections = [c for c in seed.collections if uow.collections.get(c.id) is None]
            stored_reports = uow.reports.get_many(frozenset(r.id for r in seed.reports))
            reports = [r for r in seed.reports if r.id not in stored_reports]
            stored_dashboards = uow.dashboards.get_many(frozenset(d.id for d in seed.dashboards))
            dashboards = [d for d in seed.dashboards if d.id not in stored_dashboards]
            for collection in collections:
                uow.collections.add(collection)
            uow.reports.add_all(reports)
            uow.dashboards.add_all(dashboards)
            uow.commit()
        added = len(collections) + len(reports) + len(dashboards)
        total = len(seed.collections) + len(seed.reports) + len(seed.dashboards)
        return SeedResult(added=added, already_present=total - added)
