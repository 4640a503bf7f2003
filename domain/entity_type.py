from __future__ import annotations

from enum import StrEnum


class EntityType(StrEnum):
    """The wire value of `exportEntityType`."""

    SINGLE_PROCESS_REPORT = "single_process_report"
    SINGLE_DECISION_REPORT = "single_decision_report"
    COMBINED_REPORT = "combined_report"
    DASHBOARD = "dashboard"

    @classmethod
    def parse(cls, text: str) -> EntityType | None:
        """Reads a wire value case-insensitively, as Optimize's Jackson enum reader does."""
        try:
            return cls(text.lower())
        except ValueError:
            return None

    @property
    def is_report(self) -> bool:
        return self is not EntityType.DASHBOARD
