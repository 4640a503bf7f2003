"""Retention of history on both databases (`BOARDPORT_HISTORY_DAYS`): changes older than the
limit go with their revisions, but never an entity's current revision, so every entity can
still be shown and restored as it is now."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from dependency_injector import providers
from sqlalchemy import text

from application.use_cases.forget_old_history import ForgetOldHistory
from application.use_cases.import_entities import ImportOptions
from domain.errors import NotFound
from domain.history import EntityKey
from entrypoints.container import Container
from tests.builders.domain import TESTER
from tests.databases import statements_run
from tests.integration.test_overwrite_across_collections import two_collections
from tests.integration.test_overwrite_atomicity import EDITED, FIRST

START = datetime(2026, 1, 1, tzinfo=UTC)


class SetClock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


def deployed(
    container: Container, collection_id: str, document: list[Any], *, prune: bool = False
) -> dict[str, str]:
    options = ImportOptions(overwrite=True, prune=prune)
    items = container.import_entities()(collection_id, lambda: document, options, actor=TESTER)
    return {i.source_id: str(i.id) for i in items}


def test_old_changes_go_but_every_current_revision_stays(container: Container) -> None:
    clock = SetClock(START)
    container.clock.override(providers.Object(clock))
    target, _ = two_collections(container)
    ids = deployed(container, target, FIRST)
    clock.moment = START + timedelta(days=150)
    deployed(container, target, EDITED)  # r1 renamed; r2 unchanged
    clock.moment = START + timedelta(days=200)
    history = container.browse_history()
    first, second = reversed(history.changes(target))

    gone = ForgetOldHistory(container.writing_uow(), clock, days=90)()

    r1, r2 = EntityKey("report", ids["r1"]), EntityKey("report", ids["r2"])
    # r1's first revision was not current: it went. Its current one stays.
    assert [r.number for r in history.revisions(r1)] == [2]
    with pytest.raises(NotFound):
        history.revision(r1, 1)
    # r2 never changed again: its first revision is its current one, and it stays.
    assert [r.number for r in history.revisions(r2)] == [1]
    assert history.revision(r2, 1).entity.name == "Report r2"
    # The first change still names current revisions, so it is kept, with its time and actor.
    assert [c.id for c in history.changes(target)] == [second.id, first.id]
    assert gone == 0
    assert history.revisions(r2)[0].actor == TESTER.name

    clock.moment = START + timedelta(days=400)
    # Back to the first file, pruning: every entity the second change wrote moves on, so the
    # second change names no current revision any more; r2 still has its first.
    deployed(container, target, FIRST, prune=True)
    third = history.changes(target)[0]
    clock.moment = START + timedelta(days=600)
    assert ForgetOldHistory(container.writing_uow(), clock, days=90)() == 1
    assert [c.id for c in history.changes(target)] == [third.id, first.id]


def test_no_limit_keeps_everything(container: Container) -> None:
    clock = SetClock(START)
    container.clock.override(providers.Object(clock))
    target, _ = two_collections(container)
    deployed(container, target, FIRST)
    deployed(container, target, EDITED)
    clock.moment = START + timedelta(days=10_000)
    assert ForgetOldHistory(container.writing_uow(), clock, days=0)() == 0
    assert len(container.browse_history().changes(target)) == 2


def test_a_kept_revision_stored_as_a_delta_keeps_what_it_is_a_delta_of(
    container: Container,
) -> None:
    """A revision whose data is kept as a delta of an earlier one stays readable when that
    earlier revision goes."""
    clock = SetClock(START)
    container.clock.override(providers.Object(clock))
    target, _ = two_collections(container)
    first: list[Any] = copy.deepcopy(FIRST)
    first[1]["data"]["configuration"]["yLabel"] = "Invoices"  # r2's data, its own
    ids = deployed(container, target, first)
    clock.moment = START + timedelta(days=150)
    edited = copy.deepcopy(first)
    edited[1]["data"]["configuration"]["yLabel"] = "Invoices per day"  # changed a little
    deployed(container, target, edited)
    r2 = EntityKey("report", ids["r2"])
    current = container.writing_uow
    with current() as uow:
        stored = uow.reports.get_many(frozenset([ids["r2"]]))[ids["r2"]]
        deltas = uow.history.heads([r2])[r2]
    assert deltas.number == 2
    clock.moment = START + timedelta(days=200)
    ForgetOldHistory(container.writing_uow(), clock, days=90)()
    history = container.browse_history()
    assert [r.number for r in history.revisions(r2)] == [2]
    assert history.revision(r2, 2).entity == stored


def _blobs(container: Container) -> int:
    with container.engine().connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM history_blob")).scalar_one())


def test_a_blob_no_kept_revision_needs_goes_with_the_revisions(container: Container) -> None:
    """r2's data changes a little twice: the second and third revisions are each a delta of the
    first. Once the first two are old, the second's blob is needed by no one and goes; the
    first's stays, as the third is a delta of it."""
    clock = SetClock(START)
    container.clock.override(providers.Object(clock))
    target, _ = two_collections(container)
    ids: dict[str, str] = {}
    for day, label in ((0, "Invoices"), (150, "Invoices per day"), (300, "Invoices per week")):
        clock.moment = START + timedelta(days=day)
        document: list[Any] = copy.deepcopy(FIRST)
        document[1]["data"]["configuration"]["yLabel"] = label
        ids = deployed(container, target, document)
    before = _blobs(container)
    clock.moment = START + timedelta(days=400)
    ForgetOldHistory(container.writing_uow(), clock, days=90)()
    r2 = EntityKey("report", ids["r2"])
    assert [r.number for r in container.browse_history().revisions(r2)] == [3]
    assert _blobs(container) == before - 1
    with container.writing_uow() as uow:
        stored = uow.reports.get_many(frozenset([ids["r2"]]))[ids["r2"]]
    assert container.browse_history().revision(r2, 3).entity == stored


def test_with_nothing_old_a_run_deletes_nothing_and_reads_one_row(container: Container) -> None:
    """A start of the service with a large, young history ran the whole sweep (a minute and
    more on PostgreSQL, before the service answered): with no old change it asks for one row."""
    clock = SetClock(START)
    container.clock.override(providers.Object(clock))
    target, _ = two_collections(container)
    deployed(container, target, FIRST)
    deployed(container, target, EDITED)
    with statements_run(container.engine()) as statements:
        clock.moment = START + timedelta(days=30)
        assert ForgetOldHistory(container.writing_uow(), clock, days=90)() == 0
    history_statements = [s for s in statements if "history_" in s]
    assert len(history_statements) == 1, history_statements
    assert history_statements[0].lstrip().startswith("SELECT")
