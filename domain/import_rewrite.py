"""What a checked import file becomes: each entity under its target ID in the target
collection, the references between them rewritten the same way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

from domain.dashboard import Dashboard, Tile
from domain.definition import DefinitionRef, Resolution
from domain.export_format.reader import FileEntry
from domain.json_document import DerivedDocument, JsonValue
from domain.report import Report


def imported_report(
    entry: FileEntry,
    collection_id: str,
    new_ids: Mapping[str, str],
    resolutions: Mapping[tuple[str, DefinitionRef], Resolution],
) -> Report:
    report = entry.entity
    assert isinstance(report, Report)  # noqa: S101 - the caller passes report entries only
    refs = entry.refs
    chosen = [resolutions[(report.id, ref)] for ref in refs]
    children = tuple(new_ids[c] for c in report.child_ids)
    data = report.data
    if (
        children
        or any(r.kept_versions != ref.versions for r, ref in zip(chosen, refs, strict=True))
        or (chosen and chosen[0].source.xml is not None)
    ):
        # Made again each time it is asked for: the import writes it once, in a batch of a
        # few hundred, and holding ten thousand rewritten values would outgrow the file.
        data = DerivedDocument(partial(rewritten_data, report, new_ids, refs, chosen))
    # Constructors, not dataclasses.replace: an import re-keys tens of thousands of these.
    return Report(
        new_ids[report.id],
        report.entity_type,
        report.name,
        report.description,
        collection_id,
        data,
        children,
    )


def rewritten_data(
    report: Report,
    new_ids: Mapping[str, str],
    refs: Sequence[DefinitionRef],
    chosen: Sequence[Resolution],
) -> JsonValue:
    """The report's data with what an import changes: child IDs, kept versions, the target's
    XML. New containers are built only along the changed paths; everything else is shared with
    the report's parsed data, which nothing mutates, so a large report is not copied to change
    a few of its values. Data held as text is parsed anew and not kept."""
    original = report.data.parsed()
    assert isinstance(original, dict)  # noqa: S101 - the file reader only accepts object data
    data = dict(original)
    entries = data.get("reports")
    if report.is_combined and isinstance(entries, list):
        data["reports"] = [_renamed_child(entry, new_ids) for entry in entries]
    changed_versions = {
        position: resolution.kept_versions
        for position, (ref, resolution) in enumerate(zip(refs, chosen, strict=True))
        if resolution.kept_versions != ref.versions
    }
    if changed_versions:
        _keep_versions(data, refs, changed_versions)
    configuration = data.get("configuration")
    if chosen and chosen[0].source.xml is not None and isinstance(configuration, dict):
        data["configuration"] = {**configuration, "xml": chosen[0].source.xml}
    return data


def _renamed_child(entry: JsonValue, new_ids: Mapping[str, str]) -> JsonValue:
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        return {**entry, "id": new_ids[str(entry["id"])]}
    return entry


def _keep_versions(
    data: dict[str, JsonValue],
    refs: Sequence[DefinitionRef],
    changed: dict[int, tuple[str, ...]],
) -> None:
    definitions = data.get("definitions")
    if not isinstance(definitions, list):  # the layout before Optimize 3.5: one definition
        data[f"{refs[0].type.value}DefinitionVersions"] = list(changed[0])
        return
    rewritten: list[JsonValue] = []
    position = 0
    for entry in definitions:
        # Positions count the entries that name a definition, as `definition_refs` reads them.
        if isinstance(entry, dict) and isinstance(entry.get("key"), str) and entry.get("key"):
            kept = changed.get(position)
            position += 1
            if kept is not None:
                versions: JsonValue = list(kept)
                rewritten.append({**entry, "versions": versions})
                continue
        rewritten.append(entry)
    data["definitions"] = rewritten


def imported_dashboard(
    dashboard: Dashboard, collection_id: str, new_ids: Mapping[str, str]
) -> Dashboard:
    tiles = tuple(
        Tile(
            tile.type,
            new_ids[tile.report_id],
            tile.x,
            tile.y,
            tile.width,
            tile.height,
            tile.configuration,
        )
        if tile.report_id is not None
        else tile
        for tile in dashboard.tiles
    )
    return Dashboard(
        new_ids[dashboard.id],
        dashboard.name,
        dashboard.description,
        collection_id,
        tiles,
        dashboard.available_filters,
    )
