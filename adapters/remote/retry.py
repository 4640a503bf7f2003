"""When and how long to wait before trying a request again, and saying so."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from application.ports.progress import Progress

RETRIED_STATUSES = frozenset({429, 502, 503, 504})
NOT_PROCESSED_STATUSES = frozenset({429})
"""Statuses that say the server did not act on the request: safe to retry any request. A 503
is not one of them: a gateway (Envoy, Istio) answers 503 for an upstream that failed after it
was sent the request."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 5
    """Tries in all, the first one included."""
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_wait: float = 300.0
    """The longest wait the client accepts: a server that asks for more (Retry-After) ends
    the run, rather than being called again sooner than it asked."""

    def delay(self, retry: int, asked: float | None, rng: random.Random) -> float:
        """Seconds to wait before retry number `retry` (1 for the first): what the server
        asked for in Retry-After when it said, else exponential backoff with full jitter."""
        if asked is not None:
            return asked
        ceiling = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        return rng.uniform(ceiling / 2, ceiling)


class WaitTooLong(Exception):
    """The server asked for a wait longer than the policy's max_wait."""

    def __init__(self, asked: float, limit: float) -> None:
        super().__init__(
            f"asked to wait {asked:.0f} s before trying again (Retry-After), longer than "
            f"BOARDPORT_CLIENT_MAX_WAIT_SECONDS ({limit:.0f}); the run stops: run it again "
            "later, or raise that setting"
        )


@dataclass(slots=True)
class Waits:
    """The waits between tries of one server's requests (its token server's included): each
    said on the progress line before it is waited, and counted."""

    policy: RetryPolicy = field(default_factory=RetryPolicy)
    progress: Progress | None = None
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)  # jitter, not secrets
    count: int = 0

    def before_retry(self, retry: int, retry_after: str | None, why: str) -> float:
        """Waits before retry number `retry` and returns how long; raises WaitTooLong instead
        when the server asked for more than the policy allows."""
        asked = parse_retry_after(retry_after)
        if asked is not None and asked > self.policy.max_wait:
            raise WaitTooLong(asked, self.policy.max_wait)
        seconds = self.policy.delay(retry, asked, self.rng)
        self.count += 1
        if self.progress is not None:
            self.progress.waiting(f"waiting {_seconds(seconds)}: {why}")
        self.sleep(seconds)
        return seconds


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value >= 10 else f"{value:.2g} s"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date; None when absent or
    unreadable."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
