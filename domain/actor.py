"""Who did a write: what history records and what keeps idempotency keys apart. It comes from
what the server verified (the token a request was accepted with, the CLI's own login), never
from anything a client claims about itself."""

from __future__ import annotations

from dataclasses import dataclass

STATIC_TOKEN = "token"  # noqa: S105 - the name of a caller, not a secret


@dataclass(frozen=True, slots=True)
class Actor:
    name: str

    @classmethod
    def static_token(cls) -> Actor:
        """Whoever holds the configured API access token: one caller."""
        return cls(STATIC_TOKEN)

    @classmethod
    def from_jwt(cls, subject: str, authorized_party: str | None = None) -> Actor:
        """A JWT's `sub`, with its `azp` in parentheses when that differs."""
        if authorized_party and authorized_party != subject:
            return cls(f"{subject} ({authorized_party})")
        return cls(subject)

    @classmethod
    def cli(cls, login: str) -> Actor:
        """The CLI writing to its own database, as the operating system's user."""
        return cls(f"cli:{login}")

    def __str__(self) -> str:
        return self.name
