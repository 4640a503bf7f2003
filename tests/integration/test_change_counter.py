"""The change counter moves with every committed write and with nothing else, on both
databases: what lets a cached export be exactly as fresh as a database read."""

from __future__ import annotations

import anyio
import pytest
from sqlalchemy import text

from domain.errors import DomainError
from entrypoints.container import Container
from tests.builders.domain import TESTER, process_report


def stored_counter(container: Container) -> int:
    with container.engine().connect() as connection:
        value = connection.execute(text("SELECT value FROM change_counter")).scalar_one()
    return int(value)


def read_counter(container: Container) -> int:
    async def read() -> int:
        counter = container.change_counter()
        try:
            return await counter.current()
        finally:
            await counter.close()

    return anyio.run(read)


def refuse_after_writing(container: Container) -> None:
    with container.writing_uow() as uow:
        uow.reports.add_all([process_report("r2")])
        raise DomainError("refused before the commit")


def test_each_committed_write_advances_the_counter_once(container: Container) -> None:
    before = stored_counter(container)
    with container.writing_uow() as uow:
        uow.reports.add_all([process_report("r1")])
        uow.commit()
    assert stored_counter(container) == before + 1
    container.delete_report()("r1", actor=TESTER)
    assert stored_counter(container) == before + 2
    assert read_counter(container) == before + 2


def test_reads_and_writes_that_do_not_commit_leave_the_counter_alone(
    container: Container,
) -> None:
    before = stored_counter(container)
    with container.reading_uow() as reading:
        reading.reports.get_many(frozenset({"r1"}))
    with container.writing_uow() as uow:
        uow.reports.add_all([process_report("r1")])  # left without commit: rolled back
    with pytest.raises(DomainError):
        refuse_after_writing(container)
    assert stored_counter(container) == before
    assert read_counter(container) == before
