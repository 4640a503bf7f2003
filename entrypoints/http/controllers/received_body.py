"""An import file's body spooled to a temporary file as it arrives: Litestar's own `body()`
keeps every chunk and then joins them, holding the file twice, and an import holds its
reports' data where it lies in the file rather than in memory."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from typing import IO, Any

from litestar import Request


class ReceivedBody:
    """The request body, received whole into a temporary file (gone when it is closed). A plain
    class, so Litestar hands it on as it is."""

    __slots__ = ("file",)

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file


async def receive_body(request: Request[Any, Any, Any]) -> AsyncIterator[ReceivedBody]:
    """Spools the body (the stream enforces the body size limit, on Content-Length and on
    what arrives; a body shorter or longer than its Content-Length is taken as it arrived),
    and closes the file once the handler is done."""
    with tempfile.TemporaryFile() as file:
        async for chunk in request.stream():
            file.write(chunk)
        file.flush()
        yield ReceivedBody(file)
