"""The storage-schema versions boardport writes into exports and accepts on import."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from domain.entity_type import EntityType


@dataclass(frozen=True, slots=True)
class IndexVersion:
    base_name: str
    version: int

    @property
    def index_name(self) -> str:
        return f"optimize-{self.base_name}_v{self.version}"


CURRENT_INDEX_VERSIONS = MappingProxyType(
    {
        EntityType.SINGLE_PROCESS_REPORT: IndexVersion("single-process-report", 11),
        EntityType.SINGLE_DECISION_REPORT: IndexVersion("single-decision-report", 10),
        EntityType.COMBINED_REPORT: IndexVersion("combined-report", 5),
        EntityType.DASHBOARD: IndexVersion("dashboard", 8),
    }
)


def current_index_version(entity_type: EntityType) -> int:
    return CURRENT_INDEX_VERSIONS[entity_type].version
