"""The client's two framework libraries loaded without optional extras boardport never uses,
which they import whenever they are installed (the server's stack installs them):

- dependency-injector's providers and wiring try pydantic (Configuration.from_pydantic), PyYAML
  (Configuration.from_yaml) and werkzeug (Flask's LocalProxy in wiring): about 50 ms;
- httpx's package loads its own command line (`httpx` the program): rich and pygments.

While such a library is imported, the extras are marked absent, so it takes the path it has
for their absence; afterwards they import as usual for whatever needs them (the server's
commands do). A library already imported is left as it is."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager

UNUSED_EXTRAS: dict[str, tuple[str, ...]] = {
    "dependency_injector.containers": ("pydantic", "yaml", "werkzeug"),
    "httpx": ("rich", "pygments"),
}


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


def load_client_libraries() -> None:
    for module, extras in UNUSED_EXTRAS.items():
        if module not in sys.modules:
            with absent(extras):
                importlib.import_module(module)
