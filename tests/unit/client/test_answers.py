"""Reading an answer's body into one buffer: the same bytes whatever the server announced."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import httpx
import pytest

from adapters.remote.answers import read_body

BODY = b'[{"id":"d1","name":"' + b"x" * 5000 + b'"}]'


class _Chunks(httpx.SyncByteStream):
    def __init__(self, data: bytes, size: int) -> None:
        self._data, self._size = data, size

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self._data), self._size):
            yield self._data[start : start + self._size]


def _answer(headers: dict[str, str], data: bytes = BODY, chunk: int = 7) -> httpx.Response:
    return httpx.Response(200, headers=headers, stream=_Chunks(data, chunk))


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Length": str(len(BODY))},
        {},
        {"Transfer-Encoding": "chunked"},
        {"Content-Length": str(len(BODY) - 100)},  # a server that announced too little
        {"Content-Length": str(len(BODY) + 100)},  # or too much
        {"Content-Length": "not a number"},
    ],
)
def test_a_body_read_in_chunks_is_the_bytes_sent(headers: dict[str, str]) -> None:
    assert read_body(_answer(headers)) == BODY


def test_a_compressed_body_is_read_decompressed() -> None:
    packed = gzip.compress(BODY)
    headers = {"Content-Length": str(len(packed)), "Content-Encoding": "gzip"}
    assert read_body(_answer(headers, packed)) == BODY


def test_an_empty_body_is_empty() -> None:
    assert read_body(_answer({"Content-Length": "0"}, b"")) == b""
