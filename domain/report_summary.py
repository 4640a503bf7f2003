from __future__ import annotations

from dataclasses import dataclass

from domain.entity_type import EntityType
from domain.report import Report


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What a list of reports shows of one: its name, type and how it draws its result."""

    id: str
    name: str
    entity_type: EntityType
    visualization: str
    collection_id: str | None

    @classmethod
    def of(cls, report: Report) -> ReportSummary:
        data = report.data.value
        visualization = data.get("visualization") if isinstance(data, dict) else None
        return cls(
            id=report.id,
            name=report.name,
            entity_type=report.entity_type,
            visualization=visualization if isinstance(visualization, str) else "",
            collection_id=report.collection_id,
        )
