from __future__ import annotations

from typing import Protocol


class SettingRepository(Protocol):
    def set_flag(self, name: str, value: bool) -> None: ...
