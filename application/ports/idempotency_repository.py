from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.idempotency import KeptAnswer, KeyedRequest


class IdempotencyReader(Protocol):
    def kept(self, request: KeyedRequest, now: datetime) -> KeptAnswer | None:
        """The answer kept for the request's caller and key, unless it has expired."""
        ...


class IdempotencyRepository(IdempotencyReader, Protocol):
    def claim(self, request: KeyedRequest) -> None:
        """Holds the caller's key until the unit of work ends, so that no other transaction
        acts on it meanwhile. Raises IdempotencyKeyInProgress when another running transaction
        holds it (where storage cannot tell, the other waits for this one instead)."""
        ...

    def keep(self, request: KeyedRequest, answer: bytes, expires: datetime, now: datetime) -> None:
        """Keeps the answer for the caller's key until `expires`, in this unit of work's
        transaction; answers that expired before `now` go."""
        ...
