from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.sign_in_throttle import SignInFailures, after_failure

START = datetime(2026, 1, 1, tzinfo=UTC)


def failing(
    times: int, start: datetime = START, every: timedelta = timedelta(seconds=1)
) -> SignInFailures | None:
    state: SignInFailures | None = None
    for n in range(times):
        state = after_failure(state, start + n * every)
    return state


def test_four_failures_in_a_minute_refuse_nothing_and_the_fifth_refuses_a_minute() -> None:
    four = failing(4)
    assert four is not None
    assert four.refused_until(START + timedelta(seconds=4)) is None
    five = failing(5)
    assert five is not None
    assert five.refused_until(START + timedelta(seconds=5)) == START + timedelta(
        seconds=4, minutes=1
    )
    assert five.refused_until(START + timedelta(seconds=4, minutes=1)) is None


def test_failures_spread_over_more_than_a_minute_are_never_refused() -> None:
    state = failing(20, every=timedelta(seconds=16))  # at most four in any one minute
    assert state is not None
    assert state.blocked_until is None


def test_each_further_burst_doubles_the_wait_up_to_fifteen_minutes() -> None:
    waits = []
    state: SignInFailures | None = None
    now = START
    for _ in range(7):
        for _ in range(5):
            state = after_failure(state, now)
            now += timedelta(seconds=1)
        assert state is not None
        assert state.blocked_until is not None
        waits.append(state.blocked_until - (now - timedelta(seconds=1)))
        now = state.blocked_until
    assert [w.total_seconds() / 60 for w in waits] == [1, 2, 4, 8, 15, 15, 15]


def test_a_quiet_quarter_of_an_hour_forgets_the_address() -> None:
    state = failing(5)
    assert state is not None
    assert state.blocked_until is not None
    later = state.blocked_until + timedelta(minutes=15)
    fresh = after_failure(state, later)
    assert (fresh.failures, fresh.blocks, fresh.blocked_until) == (1, 0, None)
