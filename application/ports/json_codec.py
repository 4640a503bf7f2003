from __future__ import annotations

from typing import Protocol

from domain.json_document import JsonValue


class JsonCodec(Protocol):
    """Compact UTF-8 JSON from plain values and back: what writes an export's envelopes and
    parses stored data for an older release's format. The standard library's does it; a faster
    one is an adapter's (docs/performance.md says which benchmark wants it)."""

    def encode(self, value: object) -> bytes: ...

    def decode(self, utf8: bytes) -> JsonValue: ...
