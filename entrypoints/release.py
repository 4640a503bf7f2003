from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version


@cache
def release_version() -> str:
    """boardport's version as installed: what the API's answers and the OpenAPI document say,
    and what the pages' static files are versioned by."""
    try:
        return version("boardport")
    except PackageNotFoundError:  # a bare checkout, not installed
        return "0+unknown"
