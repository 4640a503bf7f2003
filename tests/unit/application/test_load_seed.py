from __future__ import annotations

from application.use_cases.load_seed import LoadSeed, Seed
from tests.builders.domain import collection, dashboard_of, process_report
from tests.fakes import FakeUnitOfWork, FixedClock

SEED = Seed(
    collections=(collection("c"),),
    reports=(process_report("r1"), process_report("r2")),
    dashboards=(dashboard_of("123", "r1", "r2"),),
)


def test_a_seed_is_stored_under_its_own_ids_and_committed() -> None:
    uow = FakeUnitOfWork()
    result = LoadSeed(uow, FixedClock())(SEED)
    assert (result.added, result.already_present) == (4, 0)
    assert uow.committed
    assert set(uow.reports.stored) == {"r1", "r2"}
    assert set(uow.dashboards.stored) == {"123"}


def test_loading_the_same_seed_twice_adds_nothing_the_second_time() -> None:
    uow = FakeUnitOfWork()
    LoadSeed(uow, FixedClock())(SEED)
    result = LoadSeed(uow, FixedClock())(SEED)
    assert (result.added, result.already_present) == (0, 4)


def test_a_seed_fills_in_only_what_is_missing() -> None:
    uow = FakeUnitOfWork(reports=[process_report("r1", name="Changed by a user")])
    result = LoadSeed(uow, FixedClock())(SEED)
    assert result.added == 3
    assert uow.reports.stored["r1"].name == "Changed by a user"
