"""The storage-schema versions boardport writes into exports and checks on import: the
current release's numbers of the release table (domain/export_format/releases.py), with the
index names Optimize's mismatch answer gives."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from domain.entity_type import EntityType
from domain.export_format.releases import LATEST


@dataclass(frozen=True, slots=True)
class IndexVersion:
    base_name: str
    version: int

    @property
    def index_name(self) -> str:
        return f"optimize-{self.base_name}_v{self.version}"


CURRENT_INDEX_VERSIONS = MappingProxyType(
    {
        EntityType.SINGLE_PROCESS_REPORT: IndexVersion("single-process-report", LATEST.process),
        EntityType.SINGLE_DECISION_REPORT: IndexVersion("single-decision-report", LATEST.decision),
        EntityType.COMBINED_REPORT: IndexVersion("combined-report", LATEST.combined),
        EntityType.DASHBOARD: IndexVersion("dashboard", LATEST.dashboard),
    }
)


def current_index_version(entity_type: EntityType) -> int:
    return CURRENT_INDEX_VERSIONS[entity_type].version
