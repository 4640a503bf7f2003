from __future__ import annotations

from dataclasses import dataclass, replace

from domain.entity_type import EntityType
from domain.json_document import JsonDocument, JsonValue


@dataclass(frozen=True, slots=True)
class Report:
    """A single process, single decision or combined report. `data` is kept whole; a combined
    report's `child_ids` are the single reports its `data.reports` lists, in that order."""

    id: str
    entity_type: EntityType
    name: str
    description: str | None
    collection_id: str | None
    data: JsonDocument
    child_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.entity_type.is_report:
            raise ValueError(f"{self.entity_type} is not a report type")
        if self.child_ids and self.entity_type is not EntityType.COMBINED_REPORT:
            raise ValueError("only a combined report has child reports")

    @classmethod
    def from_data(
        cls,
        *,
        report_id: str,
        entity_type: EntityType,
        name: str,
        description: str | None,
        collection_id: str | None,
        data: JsonDocument,
    ) -> Report:
        """A report whose child IDs are read from its data, as an import reads it."""
        combined = entity_type is EntityType.COMBINED_REPORT
        children = combined_child_ids(data.value) if combined else ()
        return cls(report_id, entity_type, name, description, collection_id, data, children)

    @property
    def is_combined(self) -> bool:
        return self.entity_type is EntityType.COMBINED_REPORT

    @property
    def is_management(self) -> bool:
        return self._flag("managementReport")

    @property
    def is_instant_preview(self) -> bool:
        return self._flag("instantPreviewReport")

    def without_child(self, report_id: str) -> Report:
        """This combined report with `report_id` taken out of `data.reports`."""
        if report_id not in self.child_ids:
            return self
        data = self.data.copy_value()
        assert isinstance(data, dict)  # noqa: S101 - a combined report with children has a data object
        entries = data.get("reports")
        if isinstance(entries, list):
            data["reports"] = [e for e in entries if _entry_id(e) != report_id]
        return replace(
            self,
            data=JsonDocument.from_value(data),
            child_ids=tuple(c for c in self.child_ids if c != report_id),
        )

    def _flag(self, name: str) -> bool:
        data = self.data.value
        return isinstance(data, dict) and data.get(name) is True


def combined_child_ids(data: JsonValue) -> tuple[str, ...]:
    """The report IDs in a combined report's `data.reports`, first mention first."""
    if not isinstance(data, dict):
        return ()
    entries = data.get("reports")
    if not isinstance(entries, list):
        return ()
    ids = (_entry_id(entry) for entry in entries)
    return tuple(dict.fromkeys(i for i in ids if i))


def _entry_id(entry: JsonValue) -> str | None:
    if isinstance(entry, dict):
        value = entry.get("id")
        if isinstance(value, str):
            return value
    return None


def undeletable_reason(report: Report) -> str | None:
    """Why a report may not be deleted through the API, if it may not."""
    if report.is_management:
        return f'Report "{report.id}" is a management report; Optimize maintains those itself.'
    if report.is_instant_preview:
        return (
            f'Report "{report.id}" is an instant-preview report; Optimize maintains those itself.'
        )
    return None


@dataclass(frozen=True, slots=True)
class ReportOutline:
    """A report without its data: what an export needs to decide what it holds and in what
    order."""

    id: str
    entity_type: EntityType
    child_ids: tuple[str, ...]
