"""How often one client address may fail to sign in: after 5 failures within a minute it is
refused for a minute, then for twice as long at each further burst of failures, up to 15
minutes; a quiet quarter of an hour, or a sign-in that succeeds, forgets it all. A pure rule:
storage keeps the state between requests (and between workers)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

FAILURES_ALLOWED = 5
WINDOW = timedelta(minutes=1)
FIRST_BLOCK = timedelta(minutes=1)
LONGEST_BLOCK = timedelta(minutes=15)
FORGOTTEN_AFTER = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class SignInFailures:
    """One address's recent failures: how many since `window_start`, how many times it was
    blocked, and until when it is blocked now (None: it is not)."""

    failures: int
    window_start: datetime
    blocks: int = 0
    blocked_until: datetime | None = None
    last_failure: datetime | None = None

    def refused_until(self, now: datetime) -> datetime | None:
        """Until when a sign-in from this address is refused without being checked."""
        if self.blocked_until is not None and now < self.blocked_until:
            return self.blocked_until
        return None

    def forgotten(self, now: datetime) -> bool:
        """Whether so long has passed that the next failure starts afresh."""
        last = self.last_failure or self.window_start
        quiet_since = max(last, self.blocked_until or last)
        return now - quiet_since >= FORGOTTEN_AFTER


def after_failure(state: SignInFailures | None, now: datetime) -> SignInFailures:
    """The address's state once a sign-in from it failed at `now`."""
    if state is None or state.forgotten(now):
        return SignInFailures(1, now, last_failure=now)
    if now - state.window_start >= WINDOW:
        state = replace(state, failures=0, window_start=now)
    failures = state.failures + 1
    if failures < FAILURES_ALLOWED:
        return replace(state, failures=failures, last_failure=now)
    block = min(FIRST_BLOCK * 2**state.blocks, LONGEST_BLOCK)
    return SignInFailures(0, now, state.blocks + 1, now + block, now)
