"""Two imports of one file into one collection at once, in two threads on one connection pool,
on SQLite and PostgreSQL: the collection's lock makes them take turns, so the second finds
what the first wrote (overwrite: unchanged, one copy; plain: a second copy that claims no
source the first took).

The first import is held just before its first write until the second one has caught up to
its own first write, or for at most `CATCH_UP_SECONDS` when it cannot: under the lock it cannot,
and the first goes on to commit. Without the lock both would have read an empty collection."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, text

from application.use_cases.import_entities import ImportOptions
from domain.import_plan import ImportedItem
from entrypoints.container import Container
from tests.builders.domain import TESTER
from tests.databases import begins_with
from tests.integration.test_import_atomicity import FILE, prepare

CATCH_UP_SECONDS = 2.0
"""Below SQLite's busy timeout (5 s), which the second import waits out at its BEGIN."""
BOUND_SECONDS = 60.0


class Meeting:
    """Where the two imports' threads meet: each says when it is about to write."""

    def __init__(self) -> None:
        self.first = threading.Event()
        self.second = threading.Event()
        self.threads: dict[int, threading.Event] = {}

    def before_statement(self, _conn: Any, _cursor: Any, statement: str, *_: object) -> None:
        arrived = self.threads.get(threading.get_ident())
        if arrived is None or arrived.is_set():
            return
        if not begins_with(statement, "INSERT INTO REPORT "):
            return
        arrived.set()
        if arrived is self.first:
            self.second.wait(CATCH_UP_SECONDS)


@contextmanager
def meeting_on(container: Container) -> Iterator[Meeting]:
    meeting = Meeting()
    engine = container.engine()
    event.listen(engine, "before_cursor_execute", meeting.before_statement)
    try:
        yield meeting
    finally:
        event.remove(engine, "before_cursor_execute", meeting.before_statement)


def two_imports_at_once(
    container: Container, *, overwrite: bool
) -> list[tuple[ImportedItem, ...] | BaseException]:
    """The first import, and a second one started once the first is about to write."""
    outcomes: list[tuple[ImportedItem, ...] | BaseException] = [TimeoutError("did not end")] * 2

    def run(index: int, meeting: Meeting, arrived: threading.Event) -> None:
        meeting.threads[threading.get_ident()] = arrived
        try:
            importing = container.import_entities()
            outcomes[index] = importing(
                "target", lambda: FILE, ImportOptions(overwrite=overwrite), actor=TESTER
            )
        except BaseException as error:  # noqa: BLE001 - the test judges every outcome
            outcomes[index] = error

    with meeting_on(container) as meeting:
        first = threading.Thread(target=run, args=(0, meeting, meeting.first))
        second = threading.Thread(target=run, args=(1, meeting, meeting.second))
        first.start()
        assert meeting.first.wait(BOUND_SECONDS), "the first import never came to write"
        second.start()
        for thread in (first, second):
            thread.join(BOUND_SECONDS)
        assert not first.is_alive(), "the first import hung"
        assert not second.is_alive(), "the second import hung"
    return outcomes


def counted(container: Container, query: str) -> int:
    with container.engine().connect() as connection:
        number: int = connection.execute(text(query)).scalar_one()
        return number


@pytest.mark.parametrize("overwrite", [True, False], ids=["overwrite", "plain"])
def test_two_imports_of_one_file_into_one_collection_take_turns(
    container: Container, *, overwrite: bool
) -> None:
    prepare(container)
    first, second = two_imports_at_once(container, overwrite=overwrite)
    assert isinstance(first, tuple), first
    assert isinstance(second, tuple), second
    if overwrite:
        assert [i.action for i in first] == ["created"] * 5
        assert [i.action for i in second] == ["unchanged"] * 5
        assert [i.id for i in second] == [i.id for i in first]
    copies = 1 if overwrite else 2
    assert counted(container, "SELECT count(*) FROM report") == 3 * copies
    assert counted(container, "SELECT count(*) FROM dashboard") == 2 * copies
    # Each source is remembered once: by the first import's entities.
    assert counted(container, "SELECT count(*) FROM report WHERE source_id IS NOT NULL") == 3
    assert counted(container, "SELECT count(*) FROM dashboard WHERE source_id IS NOT NULL") == 2
