"""The law of history: for any sequence of imports, overwrites and deletes, reverting the
changes newest-first gives back the store as it was before the first of them; and each write
records exactly one change, unless it changed nothing."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from application.use_cases.delete_dashboard import DeleteDashboard
from application.use_cases.delete_report import DeleteReport
from application.use_cases.import_entities import ImportEntities, ImportOptions
from application.use_cases.revert_change import RevertChange
from domain.errors import NotFound
from tests.builders.domain import TESTER
from tests.fakes import FakeUnitOfWork, FixedClock
from tests.overwrite_strategies import edits
from tests.strategies import World, worlds
from tests.unit.application.test_overwrite_laws import empty_target, file_of, importer, reader

Step = tuple[str, Any]


@st.composite
def histories(draw: st.DrawFn) -> tuple[World, list[Step]]:
    """A first deploy, then writes of every kind: edits deployed with overwrite (some with
    prune), the same file imported as new copies, entities deleted one by one."""
    world = draw(worlds(max_reports=6, max_dashboards=3))
    steps: list[Step] = []
    current = world
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["overwrite", "prune", "copies", "delete"]))
        if kind in {"overwrite", "prune"}:
            current = draw(edits(current))
            steps.append((kind, file_of(current)))
        elif kind == "copies":
            steps.append((kind, file_of(current)))
        else:
            steps.append((kind, draw(st.integers(0, 20))))
    return world, steps


def stored(uow: FakeUnitOfWork) -> tuple[dict[str, Any], dict[str, Any]]:
    return dict(uow.reports.stored), dict(uow.dashboards.stored)


def apply(uow: FakeUnitOfWork, importing: ImportEntities, step: Step) -> None:
    kind, what = step
    if kind == "delete":
        everything = sorted(uow.reports.stored) + sorted(uow.dashboards.stored)
        if not everything:
            return
        chosen = everything[what % len(everything)]
        try:
            if chosen in uow.reports.stored:
                DeleteReport(uow, FixedClock())(chosen, actor=TESTER)
            else:
                DeleteDashboard(uow, FixedClock())(chosen, actor=TESTER)
        except NotFound:
            pass
        return
    options = ImportOptions(overwrite=kind != "copies", prune=kind == "prune")
    importing("target", reader(what), options, actor=TESTER)


@settings(max_examples=150, deadline=None)
@given(history=histories())
def test_reverting_every_change_newest_first_gives_back_the_first_state(
    history: tuple[World, list[Step]],
) -> None:
    world, steps = history
    uow = empty_target()
    importing = importer(uow)
    importing("target", reader(file_of(world)), ImportOptions(overwrite=True), actor=TESTER)
    first = stored(uow)
    known = {c.id for c, _ in uow.history.changes_made}
    for step in steps:
        apply(uow, importing, step)
    newer = [c for c, _ in reversed(uow.history.changes_made) if c.id not in known]
    for change in newer:
        RevertChange(uow, FixedClock())(change.id, actor=TESTER)
    assert stored(uow) == first


@settings(max_examples=100, deadline=None)
@given(history=histories())
def test_each_write_records_one_change_unless_it_changed_nothing(
    history: tuple[World, list[Step]],
) -> None:
    world, steps = history
    uow = empty_target()
    importing = importer(uow)
    importing("target", reader(file_of(world)), ImportOptions(overwrite=True), actor=TESTER)
    for step in steps:
        before = stored(uow)
        count = len(uow.history.changes_made)
        apply(uow, importing, step)
        changed = stored(uow) != before
        assert len(uow.history.changes_made) == count + (1 if changed else 0)
