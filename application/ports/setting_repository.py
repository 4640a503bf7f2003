from __future__ import annotations

from typing import Protocol


class SettingRepository(Protocol):
    def get_flag(self, name: str) -> bool | None:
        """The stored value, or None when it was never set."""
        ...

    def set_flag(self, name: str, value: bool) -> None: ...
