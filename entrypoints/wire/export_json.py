"""Writes an export as Optimize's wire JSON. Report data, tile configurations and dashboard
filters are spliced in as the stored text, never parsed again."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import msgspec

from domain.dashboard import Dashboard, Tile
from domain.entity_type import EntityType
from domain.export import EntityExport
from domain.index_version import current_index_version
from domain.json_document import JsonDocument
from domain.report import Report

_encode = msgspec.json.Encoder().encode
_DASHBOARD_VERSION = current_index_version(EntityType.DASHBOARD)


def _raw(document: JsonDocument) -> msgspec.Raw:
    return msgspec.Raw(document.utf8)


def report_pieces(report: Report) -> tuple[bytes, bytes, bytes]:
    """A report's JSON as its envelope, its data and the closing brace. The data, most of the
    bytes, goes out as stored, without being copied into an encoder's buffer."""
    envelope = _encode(
        {
            "id": report.id,
            "exportEntityType": report.entity_type.value,
            "name": report.name,
            "description": report.description,
            "sourceIndexVersion": current_index_version(report.entity_type),
            "collectionId": report.collection_id,
        }
    )
    return envelope[:-1] + b',"data":', report.data.utf8, b"}"


def report_json(report: Report) -> bytes:
    return b"".join(report_pieces(report))


def _tile(tile: Tile) -> dict[str, object]:
    return {
        "id": tile.wire_id,
        "position": {"x": tile.x, "y": tile.y},
        "dimensions": {"width": tile.width, "height": tile.height},
        "type": tile.type.value,
        "configuration": None if tile.configuration is None else _raw(tile.configuration),
    }


def dashboard_json(dashboard: Dashboard) -> bytes:
    return _encode(
        {
            "id": dashboard.id,
            "exportEntityType": EntityType.DASHBOARD.value,
            "name": dashboard.name,
            "description": dashboard.description,
            "sourceIndexVersion": _DASHBOARD_VERSION,
            "tiles": [_tile(t) for t in dashboard.tiles],
            "availableFilters": _raw(dashboard.available_filters),
            "collectionId": dashboard.collection_id,
            "instantPreviewDashboard": False,
        }
    )


def iter_entities_json(entities: Iterable[Report | Dashboard]) -> Iterator[bytes]:
    """The export array in pieces, one entity at a time, so it can be streamed."""
    yield b"["
    separator = b""
    for entity in entities:
        yield separator
        if isinstance(entity, Report):
            yield from report_pieces(entity)
        else:
            yield dashboard_json(entity)
        separator = b","
    yield b"]"


def export_json(export: EntityExport) -> bytes:
    return b"".join(iter_entities_json(export.entities()))


def export_blocks(
    entities: Iterable[Report | Dashboard], block_size: int = 1024 * 1024
) -> Iterator[bytes]:
    """The export in blocks of about `block_size` bytes, for a streamed response: few enough to
    keep the sending cheap, small enough that the response is never built whole in memory."""
    pending: list[bytes] = []
    pending_size = 0
    for piece in iter_entities_json(entities):
        pending.append(piece)
        pending_size += len(piece)
        if pending_size >= block_size:
            yield b"".join(pending)
            pending, pending_size = [], 0
    if pending:
        yield b"".join(pending)
