"""How a revision's content is kept: in parts, so that what repeats from one revision to the
next is stored once. The name, description and origin sit in the revision's row; the rest (a
report's data without its definition XML, a dashboard's tiles and filters) is a blob found by
its SHA-256; the XML, most of a report's bytes, is a blob of its own, spliced back where it was
cut out. Both ways are exact: what comes back is the entity as it was stored, byte for byte."""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from typing import Any

import msgspec

from adapters.sqlmodel.mappers import stored_text
from domain.dashboard import Dashboard, Tile, TileType
from domain.entity_type import EntityType
from domain.json_document import JsonDocument
from domain.report import Report

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


@dataclass(frozen=True, slots=True)
class ContentParts:
    """A revision's content as stored: its blob, and its XML with the place it came from."""

    body: str
    xml: str | None = None
    xml_at: int | None = None


def report_parts(report: Report) -> ContentParts:
    """The report's data text with its definition XML cut out, when the XML can be found in the
    text exactly once as this encoder writes it; otherwise the whole text (still exact)."""
    data = stored_text(report.data)
    value = report.data.value
    configuration = value.get("configuration") if isinstance(value, dict) else None
    xml = configuration.get("xml") if isinstance(configuration, dict) else None
    if not isinstance(xml, str) or not xml:
        return ContentParts(data)
    literal = _encode(xml).decode("utf-8")
    marker = '"xml":' + literal
    at = data.find(marker)
    if at < 0 or data.find(marker, at + 1) >= 0:
        return ContentParts(data)
    start = at + len('"xml":')
    return ContentParts(data[:start] + data[start + len(literal) :], xml, start)


def dashboard_parts(dashboard: Dashboard) -> ContentParts:
    tiles = [
        [
            t.type.value,
            t.report_id,
            t.x,
            t.y,
            t.width,
            t.height,
            None if t.configuration is None else stored_text(t.configuration),
        ]
        for t in dashboard.tiles
    ]
    return ContentParts(_encode([stored_text(dashboard.available_filters), tiles]).decode("utf-8"))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entity_from(row: Any, body: str, xml: str | None) -> Report | Dashboard:
    if row.entity_kind == "report":
        data = body
        if xml is not None and row.xml_at is not None:
            at = row.xml_at
            data = body[:at] + _encode(xml).decode("utf-8") + body[at:]
        return Report.from_data(
            report_id=row.entity_id,
            entity_type=EntityType(row.export_type),
            name=row.name,
            description=row.description,
            collection_id=row.collection_id,
            data=JsonDocument.from_text(data),
        )
    filters, tiles = _decode(body)
    return Dashboard(
        id=row.entity_id,
        name=row.name,
        description=row.description,
        collection_id=row.collection_id,
        tiles=tuple(
            Tile(
                TileType(t[0]),
                t[1],
                t[2],
                t[3],
                t[4],
                t[5],
                None if t[6] is None else JsonDocument.from_text(t[6]),
            )
            for t in tiles
        ),
        available_filters=JsonDocument.from_text(filters),
    )


def parts_of(entity: Report | Dashboard) -> ContentParts:
    return report_parts(entity) if isinstance(entity, Report) else dashboard_parts(entity)


def packed(text: str) -> bytes:
    """A blob as stored: its UTF-8, compressed."""
    return zlib.compress(text.encode("utf-8"), 6)


def unpacked(stored: bytes) -> str:
    return zlib.decompress(stored).decode("utf-8")
