"""Headers read straight from the ASGI scope, for the code that sees only the scope (an ASGI
middleware has no request object)."""

from __future__ import annotations

from collections.abc import Iterable


def first_header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> bytes:
    """The value of the first header called `name` (lower case), or b"" without one."""
    for key, value in headers:
        if key.lower() == name:
            return bytes(value)
    return b""
