"""The web pages' state in the database, on SQLite and PostgreSQL: what one worker keeps, every
other worker and instance sees, and what expires is gone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from adapters.sqlmodel.web_state import SqlPendingImports, SqlSignInThrottle, SqlWebSessions
from application.ports.clock import Clock
from domain.actor import Actor
from entrypoints.container import Container
from entrypoints.web.sessions import SignInSessions

HOUR = timedelta(hours=1)


class SteppingClock(Clock):
    def __init__(self) -> None:
        self.current = datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current


def test_a_session_opened_by_one_worker_is_open_for_another_until_it_expires(
    container: Container,
) -> None:
    clock = SteppingClock()
    one, other = (
        SqlWebSessions(container.engine(), clock),
        SqlWebSessions(container.engine(), clock),
    )
    session = one.open(Actor("token"), HOUR)
    seen = other.get(session.id)
    assert seen == session
    assert seen is not None
    assert seen.signed_in
    pre = one.open(None, HOUR)
    assert other.get(pre.id) == pre
    assert not pre.signed_in
    clock.current += HOUR
    assert other.get(session.id) is None
    one.open(None, HOUR)  # opening one removes the expired ones
    with container.engine().connect() as connection:
        rows = connection.execute(text("SELECT count(*) FROM web_session")).scalar_one()
    assert rows == 1


def test_the_table_holds_no_session_id_only_its_digest(container: Container) -> None:
    session = SqlWebSessions(container.engine(), SteppingClock()).open(Actor("token"), HOUR)
    with container.engine().connect() as connection:
        stored = connection.execute(text("SELECT id_hash FROM web_session")).scalar_one()
    assert session.id not in stored
    assert len(stored) == 64


def test_a_closed_or_unknown_session_is_none(container: Container) -> None:
    sessions = SqlWebSessions(container.engine(), SteppingClock())
    session = sessions.open(Actor("token"), HOUR)
    sessions.close(session.id)
    assert sessions.get(session.id) is None
    assert sessions.get("made-up") is None
    assert sessions.get(None) is None


def test_a_pending_import_is_taken_once_by_its_own_session(container: Container) -> None:
    clock = SteppingClock()
    one, other = (SqlPendingImports(container.engine(), clock) for _ in range(2))
    key = one.keep("session-a", "c1", "f.json", b"[1]", overwrite=True, lifetime=HOUR, max_bytes=99)
    assert other.take(key, "session-b") is None  # and another session's attempt uses it up
    key = one.keep("session-a", "c1", "f.json", b"[1]", overwrite=True, lifetime=HOUR, max_bytes=99)
    taken = other.take(key, "session-a")
    assert taken is not None
    assert (taken.collection_id, taken.file_name, taken.content, taken.overwrite) == (
        "c1",
        "f.json",
        b"[1]",
        True,
    )
    assert one.take(key, "session-a") is None
    late = one.keep("s", "c1", "f.json", b"[2]", overwrite=False, lifetime=HOUR, max_bytes=99)
    clock.current += HOUR
    assert other.take(late, "s") is None


def test_all_waiting_files_together_stay_within_the_cap_the_oldest_going_first(
    container: Container,
) -> None:
    clock = SteppingClock()
    pending = SqlPendingImports(container.engine(), clock)
    keys = []
    for n in range(4):
        keys.append(
            pending.keep("s", "c", f"{n}", b"x" * 40, overwrite=False, lifetime=HOUR, max_bytes=100)
        )
        clock.current += timedelta(seconds=1)
    assert [pending.take(k, "s") is not None for k in keys] == [False, False, True, True]


def test_failures_from_every_worker_count_against_one_address(container: Container) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    workers = [SqlSignInThrottle(container.engine(), SteppingClock()) for _ in range(5)]
    for n, worker in enumerate(workers):
        assert worker.refused_until("10.0.0.7", now) is None
        worker.failed("10.0.0.7", now + timedelta(seconds=n))
    until = workers[0].refused_until("10.0.0.7", now + timedelta(seconds=5))
    assert until == now + timedelta(seconds=4, minutes=1)
    assert workers[0].refused_until("10.0.0.8", now) is None
    workers[3].succeeded("10.0.0.7")
    assert workers[1].refused_until("10.0.0.7", now + timedelta(seconds=5)) is None


def test_a_pre_session_is_no_signed_in_session_and_current_only_without_one(
    container: Container,
) -> None:
    sessions = SignInSessions(SqlWebSessions(container.engine(), SteppingClock()))
    pre = sessions.open_pre_session()
    assert sessions.signed_in(pre.id) is None
    assert sessions.current(None, pre.id) == pre
    signed_in = sessions.open(Actor("token"))
    assert sessions.current(signed_in.id, pre.id) == signed_in
    assert sessions.current(pre.id, None) is None  # a pre-session's ID is no session ID
    assert sessions.pre_session(signed_in.id) is None
    tokens = {pre.csrf_token, signed_in.csrf_token}
    assert len(tokens) == 2
    assert not tokens & {pre.id, signed_in.id}


def test_visitors_who_never_sign_in_push_out_no_signed_in_session(container: Container) -> None:
    clock = SteppingClock()
    store = SqlWebSessions(container.engine(), clock, max_pre_sessions=3)
    kept = store.open(Actor("token"), HOUR)
    pre = []
    for _ in range(6):
        pre.append(store.open(None, HOUR))
        clock.current += timedelta(seconds=1)
    assert store.get(kept.id) == kept
    assert [store.get(p.id) is not None for p in pre] == [False] * 3 + [True] * 3
