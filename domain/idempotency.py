"""The `Idempotency-Key` of a request (after the IETF httpapi draft): what makes a retry of a
write safe. The server keeps, per caller and key, the first request's fingerprint and answer;
the same request again gets the same answer, another request with that key is refused."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import BadRequest, IdempotencyKeyReused

MAX_KEY_LENGTH = 255


def idempotency_key(text: str) -> str:
    """The header's value, when it is 1 to 255 printable ASCII characters."""
    if not 1 <= len(text) <= MAX_KEY_LENGTH or not all(" " <= c <= "~" for c in text):
        raise BadRequest(
            f"The Idempotency-Key header must be 1 to {MAX_KEY_LENGTH} printable ASCII "
            f"characters; it has {len(text)}"
            + ("" if all(" " <= c <= "~" for c in text) else ", some not printable ASCII")
            + "."
        )
    return text


@dataclass(frozen=True, slots=True)
class KeyedRequest:
    """A request sent with an `Idempotency-Key`: who sent it (the verified caller), the key, and
    what the request was (method, path with query, SHA-256 of the body)."""

    caller: str
    key: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class KeptAnswer:
    """The answer kept for a key, and the fingerprint of the request that made it."""

    fingerprint: str
    answer: bytes

    def replayed_for(self, request: KeyedRequest) -> bytes:
        """The kept answer, when `request` is the one that made it."""
        if self.fingerprint != request.fingerprint:
            raise IdempotencyKeyReused(
                f"The Idempotency-Key {request.key!r} was sent before with another request "
                "(another method, path, query or body); a key names one request. Use a new key."
            )
        return self.answer
