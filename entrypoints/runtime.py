"""Every process-level setting made for speed, in one room. None of them changes what boardport
answers; each changes how the interpreter spends its time, and is applied only by the entrypoint
whose work wants it. docs/performance.md names the benchmark scenario behind each one."""

from __future__ import annotations

import gc
import importlib
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# --- The cyclic garbage collector, paused around an import (the API, the CLI, the pages) ---

_lock = threading.Lock()
_holders = 0
_resume = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection while the block runs. An import builds a great many objects (the
    parsed file, its entities) that form no cycles; the collector would scan them again and
    again, for nothing. Reference counting still frees memory as usual. Holders may overlap,
    from any thread: the collector resumes when the last one leaves, and only if it was
    running when the first one came."""
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


# --- What start-up built, frozen out of the collector's scans (`serve`, `migrate`) ---


def collect_and_freeze_startup_heap() -> None:
    """A served app's start-up hook. What start-up built (modules, the app, the container)
    lives as long as the process, yet every full collection would scan it, with every request
    in flight waiting. It is collected once, so that no garbage of start-up is kept for good,
    and then frozen out of the collector's view: full collections scan only what requests
    made."""
    gc.collect()
    gc.freeze()


def unfreeze_heap() -> None:
    """The served app's matching shutdown hook: the frozen objects are the collector's
    again."""
    gc.unfreeze()


def freeze_startup_heap() -> None:
    """A migrate's start: the many entities it parses set off collection after collection,
    and each would scan the CLI's modules and classes again. A command ends soon, so what
    start-up left as garbage is frozen with the rest rather than collected first."""
    gc.freeze()


# --- A short switch interval, for a migrate's thread that reads the next export ---

SWITCH_SECONDS = 0.0005
"""A tenth of Python's default interval (5 ms)."""


def switch_threads_often() -> None:
    """A migrate reads the next export on a thread while it checks the last one. At the
    default interval the reading thread waits for the interpreter after each read of the
    answer, and the export is no longer hidden behind the check."""
    sys.setswitchinterval(SWITCH_SECONDS)


# --- The CLI's libraries, imported without extras boardport never uses ---

UNUSED_EXTRAS: dict[str, tuple[str, ...]] = {
    "dependency_injector.containers": ("pydantic", "yaml", "werkzeug"),
    "httpx": ("rich", "pygments"),
}
"""dependency-injector's providers and wiring try pydantic (Configuration.from_pydantic), PyYAML
(Configuration.from_yaml) and werkzeug (Flask's LocalProxy in wiring); httpx's package loads its
own command line (`httpx` the program): rich and pygments. The server's stack installs them all,
and every run of the CLI would import them."""


class _Absent:
    """A finder, first on sys.meta_path, that finds these top-level packages missing: import
    asks the finders only for what sys.modules lacks, whoever imports (compiled modules too)."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self._names = frozenset(names)

    def find_spec(self, fullname: str, *_: object) -> None:
        if fullname.partition(".")[0] in self._names:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)


@contextmanager
def absent(names: tuple[str, ...]) -> Iterator[None]:
    """Within the block, importing one of these that is not imported yet raises ImportError."""
    finder = _Absent(names)
    sys.meta_path.insert(0, finder)  # a finder: import asks its find_spec
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def import_cli_libraries_without_unused_extras() -> None:
    """While such a library is imported, its extras are marked absent, so it takes the path it
    has for their absence; afterwards they import as usual for whatever needs them (the
    server's commands do). A library already imported is left as it is."""
    for module, extras in UNUSED_EXTRAS.items():
        if module not in sys.modules:
            with absent(extras):
                importlib.import_module(module)
