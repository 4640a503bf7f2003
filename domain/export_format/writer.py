"""Writes an export as Optimize's wire JSON, in the current format or an older release's: the
one place that knows the format, the array around the entities, and what an older format
loses (`write_export`).

The current format is written without parsing anything stored: report data, tile configurations
and dashboard filters are spliced in as the stored bytes. An older release's format needs the
entity as JSON to run the steps down, so only that path parses, and it parses the current
format's own bytes, so that the format is spelled once. The JSON encoder is the caller's (a
fast one lives outside the domain): it turns plain JSON values into compact UTF-8 JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from domain.dashboard import Dashboard, Tile
from domain.entity_type import EntityType
from domain.errors import BadRequest
from domain.export_format.chain import migrate_down
from domain.export_format.losses import EntityLosses
from domain.export_format.reader import describe
from domain.export_format.releases import LATEST, Release, is_current
from domain.export_format.shape import Entity, StepInputInvalid
from domain.json_document import JsonValue, encode_json
from domain.report import Report

Encoder = Callable[[object], bytes]
"""Plain JSON values (dicts, lists, strings, numbers, booleans, None) to compact UTF-8 JSON."""
Decoder = Callable[[bytes], JsonValue]
"""UTF-8 JSON to a fresh tree of plain JSON values; the stored data is parsed with it."""
BLOCK_BYTES = 1024 * 1024
"""About how large a block of a written export is: few enough blocks to keep sending cheap,
small enough that nothing is built whole in memory."""


def standard_encode(value: object) -> bytes:
    return encode_json(value).encode()


def standard_decode(utf8: bytes) -> JsonValue:
    value: JsonValue = json.loads(utf8)
    return value


@dataclass(slots=True)
class WrittenExport:
    """An export being written: its bytes in blocks, and what it loses in an older release's
    format, complete once every block has been taken (always empty for the current format)."""

    blocks: Iterator[bytes]
    release: Release
    losses: list[EntityLosses] = field(default_factory=list)


def write_export(
    entities: Iterable[Report | Dashboard],
    release: Release = LATEST,
    encode: Encoder = standard_encode,
    decode: Decoder = standard_decode,
) -> WrittenExport:
    """The export array of `entities` in `release`'s format, written as the blocks are taken."""
    if is_current(release):
        pieces = (entity_json(entity, encode) for entity in entities)
        return WrittenExport(_in_blocks(json_array(pieces)), release)
    written = WrittenExport(iter(()), release)
    written.blocks = _in_blocks(json_array(_stepped_down(entities, written, encode, decode)))
    return written


def json_array(items: Iterable[Iterable[bytes]]) -> Iterator[bytes]:
    """A JSON array of items, each given as the pieces of its JSON text."""
    framing = ArrayFraming()
    for item in items:
        yield framing.before_item()
        yield from item
    yield framing.end()


class ArrayFraming:
    """The brackets and commas of a JSON array written item by item, when the items come at
    different times (a file assembled batch by batch)."""

    def __init__(self) -> None:
        self.items = 0

    def before_item(self) -> bytes:
        self.items += 1
        return b"[" if self.items == 1 else b","

    def end(self) -> bytes:
        return b"]" if self.items else b"[]"


def _stepped_down(
    entities: Iterable[Report | Dashboard],
    written: WrittenExport,
    encode: Encoder,
    decode: Decoder,
) -> Iterator[tuple[bytes]]:
    for entity in entities:
        converted, lost = in_release(entity, written.release, encode, decode)
        if lost is not None:
            written.losses.append(lost)
        yield (encode(converted),)


def _in_blocks(pieces: Iterable[bytes]) -> Iterator[bytes]:
    pending: list[bytes] = []
    size = 0
    for piece in pieces:
        pending.append(piece)
        size += len(piece)
        if size >= BLOCK_BYTES:
            yield b"".join(pending)
            pending, size = [], 0
    if pending:
        yield b"".join(pending)


# --- the current format: stored bytes spliced, never parsed ---------------------------------------

_VERSION = {t: LATEST.version_of(t) for t in EntityType}


def entity_json(entity: Report | Dashboard, encode: Encoder) -> tuple[bytes, ...]:
    """One entity's JSON text in the current format, as pieces: the stored JSON (a report's
    data, most of the bytes) goes out as stored, without being copied into an encoder's buffer."""
    if isinstance(entity, Report):
        return _report_pieces(entity, encode)
    return _dashboard_pieces(entity, encode)


def _report_pieces(report: Report, encode: Encoder) -> tuple[bytes, ...]:
    envelope = encode(
        {
            "id": report.id,
            "exportEntityType": report.entity_type.value,
            "name": report.name,
            "description": report.description,
            "sourceIndexVersion": _VERSION[report.entity_type],
            "collectionId": report.collection_id,
        }
    )
    return envelope[:-1], b',"data":', report.data.utf8, b"}"


def _dashboard_pieces(dashboard: Dashboard, encode: Encoder) -> tuple[bytes, ...]:
    head = encode(
        {
            "id": dashboard.id,
            "exportEntityType": EntityType.DASHBOARD.value,
            "name": dashboard.name,
            "description": dashboard.description,
            "sourceIndexVersion": _VERSION[EntityType.DASHBOARD],
        }
    )
    tail = encode({"collectionId": dashboard.collection_id, "instantPreviewDashboard": False})
    tiles = b",".join(_tile_json(t, encode) for t in dashboard.tiles)
    filters = dashboard.available_filters.utf8
    return head[:-1], b',"tiles":[', tiles, b'],"availableFilters":', filters, b",", tail[1:]


def _tile_json(tile: Tile, encode: Encoder) -> bytes:
    head = encode(
        {
            "id": tile.wire_id,
            "position": {"x": tile.x, "y": tile.y},
            "dimensions": {"width": tile.width, "height": tile.height},
            "type": tile.type.value,
        }
    )
    configuration = b"null" if tile.configuration is None else tile.configuration.utf8
    return head[:-1] + b',"configuration":' + configuration + b"}"


# --- an older release's format: the current one parsed, stepped down ------------------------------


class StoredEntityInvalid(BadRequest):
    """A stored entity has a field of a shape the steps down cannot read."""


def current_value(
    entity: Report | Dashboard,
    encode: Encoder = standard_encode,
    decode: Decoder = standard_decode,
) -> Entity:
    """The entity as current-format JSON values: a private copy, parsed afresh from the
    current format's bytes, which the caller may change. An export passes its own codec for
    both ways: the envelope is written and read again for every entity it converts."""
    value = decode(b"".join(entity_json(entity, encode)))
    assert isinstance(value, dict)  # noqa: S101 - an entity is written as an object
    return value


def in_release(
    entity: Report | Dashboard,
    release: Release,
    encode: Encoder = standard_encode,
    decode: Decoder = standard_decode,
) -> tuple[Entity, EntityLosses | None]:
    """The entity in `release`'s format, and what it lost there (None: nothing)."""
    entity_type = entity.entity_type if isinstance(entity, Report) else EntityType.DASHBOARD
    try:
        converted, losses = migrate_down(
            entity_type, current_value(entity, encode, decode), release, owned=True
        )
    except StepInputInvalid as invalid:
        raise StoredEntityInvalid(
            f"{describe(entity_type, entity.id)} cannot be written for release {release.name}: "
            f"{invalid}"
        ) from invalid
    return converted, EntityLosses(entity_type, entity.id, tuple(losses)) if losses else None
