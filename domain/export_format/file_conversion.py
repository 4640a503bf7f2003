"""A whole export file converted from whatever releases wrote it to one release's format, with
no storage involved: what `boardport convert` does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.entity_type import EntityType
from domain.errors import ImportFileInvalid
from domain.export_format.chain import Conversion, UnsupportedVersion, convert
from domain.export_format.losses import EntityLosses, refuse_losses
from domain.export_format.reader import describe
from domain.export_format.releases import Release
from domain.export_format.shape import Entity, StepInputInvalid, kind
from domain.json_document import JsonValue


@dataclass(frozen=True, slots=True)
class ConvertedEntity:
    entity_type: EntityType
    entity_id: str
    conversion: Conversion

    @property
    def summary(self) -> str:
        """One line: the entity, from which format to which, and what it lost."""
        c = self.conversion
        lost = "; ".join(map(str, c.losses)) if c.losses else "nothing lost"
        label = describe(self.entity_type, self.entity_id)
        return f"{label}: {c.read_as} -> {c.written_as}: {lost}"


def convert_file(
    document: JsonValue, release: Release, *, allow_loss: bool = False
) -> list[ConvertedEntity]:
    """Every entity of the file in `release`'s format, in file order. A single object counts as
    a one-element file. Raises ImportFileInvalid naming each entity and field it cannot read,
    and LossesRefused naming each loss unless `allow_loss`."""
    items: Sequence[JsonValue] = [document] if isinstance(document, dict) else document  # type: ignore[assignment]
    if not isinstance(items, list):
        raise ImportFileInvalid("The file must be a JSON array of exported entities.")
    converted: list[ConvertedEntity] = []
    problems: list[str] = []
    for position, item in enumerate(items):
        try:
            converted.append(_converted(position, item, release))
        except ImportFileInvalid as invalid:
            problems.append(invalid.detail)
    if problems:
        raise ImportFileInvalid("; ".join(problems[:20]))
    losses = [
        EntityLosses(c.entity_type, c.entity_id, c.conversion.losses)
        for c in converted
        if c.conversion.losses
    ]
    refuse_losses(release, losses, allow_loss=allow_loss)
    return converted


def _converted(position: int, item: JsonValue, release: Release) -> ConvertedEntity:
    label = f"entity #{position + 1}"
    if not isinstance(item, dict):
        raise ImportFileInvalid(f"{label} must be an object, not {kind(item)}")
    entity_id = item.get("id")
    raw_type = item.get("exportEntityType")
    entity_type = EntityType.parse(raw_type) if isinstance(raw_type, str) else None
    if isinstance(entity_id, str) and entity_id:
        label = f'{label} (id "{entity_id}")'
    if entity_type is None:
        known = ", ".join(t.value for t in EntityType)
        raise ImportFileInvalid(f"{label}, field 'exportEntityType' must be one of {known}")
    if not isinstance(entity_id, str) or not entity_id:
        raise ImportFileInvalid(f"{label}, field 'id' must be a non-empty string")
    label = describe(entity_type, entity_id)
    try:
        conversion = convert(entity_type, item, release)
    except (StepInputInvalid, UnsupportedVersion) as invalid:
        raise ImportFileInvalid(f"{label}, {invalid}") from invalid
    return ConvertedEntity(entity_type, entity_id, conversion)


def entities_of(converted: Sequence[ConvertedEntity]) -> list[Entity]:
    return [c.conversion.entity for c in converted]
