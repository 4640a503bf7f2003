from __future__ import annotations

from typing import Any

import msgspec

from application.ports.json_codec import JsonCodec
from domain.json_document import JsonValue


class MsgspecCodec(JsonCodec):
    """msgspec's JSON, which writes an export's envelopes (a few per entity, thousands in a
    large export) and parses stored data for older formats in C, where the standard library's
    builds dictionaries in Python: docs/performance.md names the benchmark that wants it."""

    def __init__(self) -> None:
        self._encoder = msgspec.json.Encoder()
        self._decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder()

    def encode(self, value: object) -> bytes:
        return self._encoder.encode(value)

    def decode(self, utf8: bytes) -> JsonValue:
        decoded: JsonValue = self._decoder.decode(utf8)
        return decoded
