"""How a revision's content is kept: in parts, so that what repeats from one revision to the
next is stored once. The name, description and origin sit in the revision's row; the rest (a
report's data without its definition XML, a dashboard's tiles and filters) is a blob found by
its hash; the XML, most of a report's bytes, is a blob of its own, spliced back where it was
cut out. Both ways are exact: what comes back is the entity as it was stored, byte for byte."""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from typing import Any

import msgspec

from adapters.sqlmodel.mappers import stored_text
from domain.dashboard import Dashboard, Tile, TileType
from domain.entity_type import EntityType
from domain.json_document import DerivedDocument, JsonDocument, JsonValue
from domain.report import Report

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


@dataclass(frozen=True, slots=True)
class ContentParts:
    """A revision's content as stored: its blob, and its XML with the place it came from."""

    body: str
    xml: str | None = None
    xml_at: int | None = None


XML_KEY = '"xml":"'
_STRING = json.JSONDecoder()


def report_parts(report: Report) -> ContentParts:
    """The report's data text with its definition XML cut out, when its `"xml"` key appears
    once with a string that this encoder writes back as it stands; otherwise the whole text
    (exact either way). An import's rewritten data is made as a value: its XML is taken from
    it as it is, without writing and reading it back."""
    document = report.data
    if isinstance(document, DerivedDocument):
        value = document.value
        return _parts_of_value(value) or _parts_of_text(_encode(value).decode("utf-8"))
    return _parts_of_text(stored_text(document))


_MARK = "\x00"
_MARK_TEXT = _encode(_MARK).decode("utf-8")


def _parts_of_value(value: JsonValue) -> ContentParts | None:
    """The parts `_parts_of_text` makes of this value's text, when its XML is the usual
    `configuration.xml`: the text is written once with a mark in the XML's place (the key
    found once, the mark where it says), so the 25 KB string is neither written nor read here."""
    if not isinstance(value, dict):
        return None
    configuration = value.get("configuration")
    if not isinstance(configuration, dict):
        return None
    xml = configuration.get("xml")
    if not isinstance(xml, str) or not xml:
        return None
    marked = _encode({**value, "configuration": {**configuration, "xml": _MARK}}).decode("utf-8")
    at = marked.find(XML_KEY)
    if at < 0 or marked.find(XML_KEY, at + 1) >= 0:
        return None
    start = at + len(XML_KEY) - 1
    if not marked.startswith(_MARK_TEXT, start):
        return None
    return ContentParts(marked[:start] + marked[start + len(_MARK_TEXT) :], xml, start)


def _parts_of_text(data: str) -> ContentParts:
    """The text is searched, not parsed: a report's data is mostly its XML."""
    at = data.find(XML_KEY)
    if at < 0 or data.find(XML_KEY, at + 1) >= 0:
        return ContentParts(data)
    start = at + len(XML_KEY) - 1
    try:
        xml, end = _STRING.raw_decode(data, start)
    except ValueError:
        return ContentParts(data)
    if not isinstance(xml, str) or not xml or _encode(xml).decode("utf-8") != data[start:end]:
        return ContentParts(data)
    return ContentParts(data[:start] + data[end:], xml, start)


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
    """A blob's key: BLAKE2b of its UTF-8 to 128 bits, as 32 hexadecimal digits (each revision
    names two, so their length is a good part of what history stores)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


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


DELTA_WORTH = 0.5
"""A blob is kept as a delta of its entity's previous one only when that is at most half the
size of the blob compressed alone."""


def packed(text: str, base: str | None = None) -> tuple[bytes, bool]:
    """A blob as stored: its UTF-8 compressed (zlib), and whether that is a delta, compressed
    with `base` (the entity's previous blob, which most of it repeats) as the dictionary."""
    alone = zlib.compress(text.encode("utf-8"), 6)
    if base is None:
        return alone, False
    compressor = zlib.compressobj(6, zdict=base.encode("utf-8"))
    delta = compressor.compress(text.encode("utf-8")) + compressor.flush()
    if len(delta) > DELTA_WORTH * len(alone):
        return alone, False
    return delta, True


def unpacked(stored: bytes, base: str | None = None) -> str:
    if base is None:
        return zlib.decompress(stored).decode("utf-8")
    decompressor = zlib.decompressobj(zdict=base.encode("utf-8"))
    return (decompressor.decompress(stored) + decompressor.flush()).decode("utf-8")
