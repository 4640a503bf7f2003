from __future__ import annotations

from dataclasses import dataclass

from application.history_recording import record_change
from application.ports.clock import Clock
from application.ports.unit_of_work import WritingUnitOfWork
from domain.actor import Actor
from domain.collection import Collection
from domain.dashboard import Dashboard
from domain.history import Touch
from domain.report import Report

SEEDING = Actor("seed")
"""Who loads a seed when no one else is named: `serve --demo` and `boardport demo`."""


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
    seed twice adds nothing the second time. What it adds is recorded in history as an import
    by `actor`, one change per collection."""

    def __init__(self, uow: WritingUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, seed: Seed, *, actor: Actor = SEEDING) -> SeedResult:
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
            by_collection: dict[str | None, list[Touch]] = {}
            seeded: list[Report | Dashboard] = [*reports, *dashboards]
            for entity in seeded:
                by_collection.setdefault(entity.collection_id, []).append(Touch(None, entity))
            at = self._clock.now()
            for collection_id, touches in by_collection.items():
                record_change(
                    uow, "import", actor, at, collection_id=collection_id, touches=touches
                )
            uow.commit()
        added = len(collections) + len(reports) + len(dashboards)
        total = len(seed.collections) + len(seed.reports) + len(seed.dashboards)
        return SeedResult(added=added, already_present=total - added)
