"""A reading unit of work cannot write, on both databases: its repositories have no writing
methods, it has no commit, and a commit forced on its session is refused, so nothing a reader
does can change storage behind the change counter's back."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from adapters.sqlmodel.unit_of_work import ReadOnlyTransaction, SqlReadingUnitOfWork
from entrypoints.container import Container
from tests.builders.domain import process_report


def test_a_reading_unit_of_work_offers_no_way_to_write(container: Container) -> None:
    with container.reading_uow() as uow:
        assert not hasattr(uow, "commit")
        for repository, writes in (
            (uow.reports, ("add_all", "update_all", "replace", "remove", "lock")),
            (uow.dashboards, ("add_all", "update_all", "remove", "remove_tiles_showing")),
            (uow.collections, ("add", "save_scope", "lock")),
            (uow.definitions, ("save", "lock_key")),
        ):
            assert [w for w in writes if hasattr(repository, w)] == []


def test_a_commit_forced_on_a_reading_session_is_refused(container: Container) -> None:
    with container.writing_uow() as writing:
        writing.reports.add_all([process_report("r1")])
        writing.commit()
    uow = container.reading_uow()
    assert isinstance(uow, SqlReadingUnitOfWork)
    with uow:
        session = uow._require_session()  # going around the type on purpose
        try:
            session.execute(text("DELETE FROM report WHERE id = 'r1'"))
        except DBAPIError:  # PostgreSQL: the transaction itself is READ ONLY
            assert session.get_bind().dialect.name == "postgresql"
            session.rollback()
        else:
            assert session.get_bind().dialect.name == "sqlite"
            with pytest.raises(ReadOnlyTransaction):
                session.commit()
    with container.reading_uow() as uow:
        assert set(uow.reports.get_many(frozenset({"r1"}))) == {"r1"}
