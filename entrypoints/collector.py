"""Pauses Python's cyclic garbage collector around bulk work."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_resume = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection while the block runs. An import builds millions of objects (the
    parsed file, its entities) that form no cycles; the collector would scan them again and
    again, most of the parse's time. Reference counting still frees memory as usual. Holders
    may overlap, from any thread: the collector resumes when the last one leaves, and only if
    it was running when the first one came."""
    global _holders, _resume  # noqa: PLW0603 - the collector is process-wide, so is this count
    with _lock:
        if _holders == 0:
            _resume = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _resume:
                gc.enable()


def settle_heap() -> None:
    """A served app's start-up hook. What start-up built (modules, the app, the container)
    lives as long as the process, yet every full collection would scan it: under load that is
    a pause of 50-90 ms every second or so, with every request in flight waiting. It is
    collected once and then frozen out of the collector's view, so that full collections scan
    only what requests made."""
    gc.collect()
    gc.freeze()


def unsettle_heap() -> None:
    """The matching shutdown hook: the frozen objects are the collector's again."""
    gc.unfreeze()
