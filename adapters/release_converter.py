from __future__ import annotations

from collections.abc import Sequence

from application.ports.release_converter import (
    ConversionUnavailable,
    ConvertedEntities,
    ReleaseConverter,
)
from domain.entity_type import EntityType
from domain.export_format.file_conversion import convert_file, entities_of
from domain.export_format.reader import describe
from domain.export_format.releases import RELEASES
from domain.index_version import CURRENT_INDEX_VERSIONS
from domain.json_document import JsonValue

_TYPE_OF_INDEX = {v.base_name: t for t, v in CURRENT_INDEX_VERSIONS.items()}


class ExportFormatReleaseConverter(ReleaseConverter):
    """The client's release conversion, done by the export format's own steps (MIGRATIONS.md
    §3 and §6): what `boardport convert` does, for a file on its way to another server."""

    def release_of(self, mismatching_indices: Sequence[JsonValue]) -> str | None:
        wanted: dict[EntityType, int] = {}
        for item in mismatching_indices:
            entity_type, version = _index_target(item)
            if entity_type is not None and version is not None:
                wanted[entity_type] = version
        if not wanted:
            return None
        matching = [
            name
            for name, release in RELEASES.items()
            if name != "latest" and all(release.version_of(t) == v for t, v in wanted.items())
        ]
        # Releases that share these numbers write the same format; name the newest of them.
        return matching[-1] if matching else None

    def convert(self, entities: Sequence[JsonValue], release: str) -> ConvertedEntities:
        target = RELEASES.get(release)
        if target is None:
            raise ConversionUnavailable(
                f'"{release}" is not a release boardport can write; known: {", ".join(RELEASES)}'
            )
        converted = convert_file(list(entities), target, allow_loss=True)
        losses = tuple(
            f"{describe(c.entity_type, c.entity_id)}: {loss}"
            for c in converted
            for loss in c.conversion.losses
        )
        return ConvertedEntities(release, list(entities_of(converted)), losses)


def _index_target(item: JsonValue) -> tuple[EntityType | None, int | None]:
    """The entity type and the version a `mismatchingIndices` item says the target keeps."""
    if not isinstance(item, dict):
        return None, None
    name, version = item.get("indexName"), item.get("targetIndexVersion")
    if not isinstance(name, str) or not isinstance(version, int) or isinstance(version, bool):
        return None, None
    base = name.removeprefix("optimize-").rsplit("_v", 1)[0]
    return _TYPE_OF_INDEX.get(base), version
