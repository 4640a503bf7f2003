"""An import file's body spooled to a temporary file as it arrives: Litestar's own `body()`
keeps every chunk and then joins them, holding the file twice, and an import holds its
reports' data where it lies in the file rather than in memory."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import AsyncIterator
from typing import IO, Any

from litestar import Request

IDEMPOTENCY_KEY = "Idempotency-Key"


class ReceivedBody:
    """The request body, received whole into a temporary file (gone when it is closed), and its
    SHA-256 when the request carries an Idempotency-Key (what tells a retry from another
    request). A plain class, so Litestar hands it on as it is."""

    __slots__ = ("file", "sha256")

    def __init__(self, file: IO[bytes], sha256: str | None = None) -> None:
        self.file = file
        self.sha256 = sha256


async def receive_body(request: Request[Any, Any, Any]) -> AsyncIterator[ReceivedBody]:
    """Spools the body (the stream enforces the body size limit, on Content-Length and on
    what arrives; a body shorter or longer than its Content-Length is taken as it arrived),
    and closes the file once the handler is done."""
    digest = hashlib.sha256() if IDEMPOTENCY_KEY in request.headers else None
    with tempfile.TemporaryFile() as file:
        async for chunk in request.stream():
            file.write(chunk)
            if digest is not None:
                digest.update(chunk)
        file.flush()
        yield ReceivedBody(file, None if digest is None else digest.hexdigest())
