from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """What a long run tells its user as it goes."""

    def phase(self, name: str, total: int | None = None) -> None:
        """A new phase begins (list, export, convert, prepare, import, delete)."""
        ...

    def advance(self, count: int = 1) -> None:
        """`count` more items of the current phase are done."""
        ...

    def note(self, text: str) -> None:
        """Something the user must read: a warning, a conversion, a choice made for them."""
        ...

    def waiting(self, text: str) -> None:
        """A request is tried again after a wait; `text` says how long and why ("waiting
        30 s: the target answered 429"). The summary counts these."""
        ...


class SilentProgress(Progress):
    def phase(self, name: str, total: int | None = None) -> None:
        """Says nothing."""

    def advance(self, count: int = 1) -> None:
        """Says nothing."""

    def note(self, text: str) -> None:
        """Says nothing."""

    def waiting(self, text: str) -> None:
        """Says nothing."""
