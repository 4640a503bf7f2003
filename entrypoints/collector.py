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
