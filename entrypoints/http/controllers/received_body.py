"""An import file's body as it arrives, in one buffer: Litestar's own `body()` keeps every chunk
and then joins them, holding the file twice."""

from __future__ import annotations

from typing import Any

from litestar import Request


class ReceivedBody:
    """The request body, received whole. A plain class, so Litestar hands it on uncopied."""

    __slots__ = ("content",)

    def __init__(self, content: bytearray) -> None:
        self.content = content


async def receive_body(request: Request[Any, Any, Any]) -> ReceivedBody:
    """Reads the body into one buffer, sized by Content-Length when the client sends one (the
    stream enforces the body size limit, on the header and on what arrives). A body that
    differs from its Content-Length is taken as it arrived: shorter, the buffer is cut to it;
    longer, the buffer grows."""
    announced = request.content_length
    content = bytearray()
    filled = 0
    async for chunk in request.stream():
        if not chunk:
            continue
        end = filled + len(chunk)
        if not content and announced and end <= announced:
            content = bytearray(announced)  # after the stream's size check, on the first chunk
        if end <= len(content):
            content[filled:end] = chunk
        else:
            del content[filled:]
            content += chunk
        filled = end
    del content[filled:]
    return ReceivedBody(content)
