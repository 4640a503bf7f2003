"""Writes an export as Optimize's wire JSON, in the current format or an older release's.

The current format is written without parsing anything stored: report data, tile configurations
and dashboard filters are spliced in as the stored bytes. An older release's format needs the
entity as JSON to run the steps down, so only that path parses `data`. The JSON encoder is the
caller's (a fast one lives outside the domain): it turns plain JSON values into UTF-8 bytes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from domain.dashboard import Dashboard, Tile
from domain.entity_type import EntityType
from domain.errors import BadRequest
from domain.export_format.chain import migrate_down
from domain.export_format.reader import describe
from domain.export_format.releases import LATEST, Release, is_current
from domain.export_format.shape import Entity, Loss, StepInputInvalid
from domain.json_document import JsonValue
from domain.report import Report

Encoder = Callable[[object], bytes]
"""Plain JSON values (dicts, lists, strings, numbers, booleans, None) to compact UTF-8 JSON."""
Decoder = Callable[[bytes], JsonValue]
"""UTF-8 JSON to a fresh tree of plain JSON values; the stored data is parsed with it."""


def _standard_decode(utf8: bytes) -> JsonValue:
    value: JsonValue = json.loads(utf8)
    return value


_REPORT_VERSION = {t: LATEST.version_of(t) for t in EntityType}


# --- the current format: stored bytes spliced, never parsed ---------------------------------------


def report_pieces(report: Report, encode: Encoder) -> tuple[bytes, bytes, bytes]:
    """A report's JSON as its envelope, its data and the closing brace. The data, most of the
    bytes, goes out as stored, without being copied into an encoder's buffer."""
    envelope = encode(
        {
            "id": report.id,
            "exportEntityType": report.entity_type.value,
            "name": report.name,
            "description": report.description,
            "sourceIndexVersion": _REPORT_VERSION[report.entity_type],
            "collectionId": report.collection_id,
        }
    )
    return envelope[:-1] + b',"data":', report.data.utf8, b"}"


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


def dashboard_json(dashboard: Dashboard, encode: Encoder) -> bytes:
    head = encode(
        {
            "id": dashboard.id,
            "exportEntityType": EntityType.DASHBOARD.value,
            "name": dashboard.name,
            "description": dashboard.description,
            "sourceIndexVersion": _REPORT_VERSION[EntityType.DASHBOARD],
        }
    )
    tail = encode({"collectionId": dashboard.collection_id, "instantPreviewDashboard": False})
    tiles = b",".join(_tile_json(t, encode) for t in dashboard.tiles)
    return b"".join(
        (
            head[:-1],
            b',"tiles":[',
            tiles,
            b'],"availableFilters":',
            dashboard.available_filters.utf8,
            b",",
            tail[1:],
        )
    )


def iter_entities_json(entities: Iterable[Report | Dashboard], encode: Encoder) -> Iterator[bytes]:
    """The export array in pieces, one entity at a time, so it can be streamed."""
    yield b"["
    separator = b""
    for entity in entities:
        yield separator
        if isinstance(entity, Report):
            yield from report_pieces(entity, encode)
        else:
            yield dashboard_json(entity, encode)
        separator = b","
    yield b"]"


# --- an older release's format: parsed, stepped down, encoded -------------------------------------


@dataclass(frozen=True, slots=True)
class EntityLosses:
    """What one entity loses in an older release's format."""

    entity_type: EntityType
    entity_id: str
    losses: tuple[Loss, ...]

    def __str__(self) -> str:
        return f"{describe(self.entity_type, self.entity_id)}: " + "; ".join(map(str, self.losses))


class LossesRefused(BadRequest):
    """The older format cannot hold everything, and the caller did not allow losses."""

    def __init__(self, release: Release, losses: Iterable[EntityLosses]) -> None:
        listed = list(losses)
        shown = "; ".join(map(str, listed[:20]))
        more = f" (and {len(listed) - 20} more entities)" if len(listed) > 20 else ""
        super().__init__(
            f"Release {release.name}'s format cannot hold all of this export: {shown}{more}. "
            "Add allowLoss=true to write it without these."
        )


class StoredEntityInvalid(BadRequest):
    """A stored entity has a field of a shape the steps down cannot read."""


def current_value(entity: Report | Dashboard, decode: Decoder = _standard_decode) -> Entity:
    """The entity as current-format JSON values, as the current writer prints it: a private
    copy, parsed afresh, which the caller may change."""
    if isinstance(entity, Report):
        return {
            "id": entity.id,
            "exportEntityType": entity.entity_type.value,
            "name": entity.name,
            "description": entity.description,
            "sourceIndexVersion": _REPORT_VERSION[entity.entity_type],
            "collectionId": entity.collection_id,
            "data": decode(entity.data.utf8),
        }
    tiles: list[JsonValue] = [
        {
            "id": t.wire_id,
            "position": {"x": t.x, "y": t.y},
            "dimensions": {"width": t.width, "height": t.height},
            "type": t.type.value,
            "configuration": None if t.configuration is None else decode(t.configuration.utf8),
        }
        for t in entity.tiles
    ]
    return {
        "id": entity.id,
        "exportEntityType": EntityType.DASHBOARD.value,
        "name": entity.name,
        "description": entity.description,
        "sourceIndexVersion": _REPORT_VERSION[EntityType.DASHBOARD],
        "tiles": tiles,
        "availableFilters": decode(entity.available_filters.utf8),
        "collectionId": entity.collection_id,
        "instantPreviewDashboard": False,
    }


def entity_type_of(entity: Report | Dashboard) -> EntityType:
    return entity.entity_type if isinstance(entity, Report) else EntityType.DASHBOARD


def in_release(
    entity: Report | Dashboard, release: Release, decode: Decoder = _standard_decode
) -> tuple[Entity, EntityLosses | None]:
    """The entity in `release`'s format, and what it lost there (None: nothing)."""
    entity_type = entity_type_of(entity)
    current = current_value(entity, decode)
    try:
        converted, losses = migrate_down(entity_type, current, release, owned=True)
    except StepInputInvalid as invalid:
        raise StoredEntityInvalid(
            f"{describe(entity_type, entity.id)} cannot be written for release {release.name}: "
            f"{invalid}"
        ) from invalid
    return converted, EntityLosses(entity_type, entity.id, tuple(losses)) if losses else None


def losses_in(
    entities: Iterable[Report | Dashboard], release: Release, decode: Decoder = _standard_decode
) -> list[EntityLosses]:
    """Every loss of an export in `release`'s format, read before any of it is written, so that
    a refusal comes before the first byte."""
    found = []
    for entity in entities:
        _, losses = in_release(entity, release, decode)
        if losses is not None:
            found.append(losses)
    return found


def iter_release_json(
    entities: Iterable[Report | Dashboard],
    release: Release,
    encode: Encoder,
    decode: Decoder = _standard_decode,
) -> Iterator[bytes]:
    """The export array in `release`'s format, one entity at a time; losses are left out (the
    caller has decided on them with `losses_in`)."""
    if is_current(release):
        yield from iter_entities_json(entities, encode)
        return
    yield b"["
    separator = b""
    for entity in entities:
        yield separator
        yield encode(in_release(entity, release, decode)[0])
        separator = b","
    yield b"]"


def in_blocks(pieces: Iterable[bytes], block_size: int = 1024 * 1024) -> Iterator[bytes]:
    """Pieces joined into blocks of about `block_size` bytes, for a streamed response: few
    enough to keep the sending cheap, small enough that nothing is built whole in memory."""
    pending: list[bytes] = []
    pending_size = 0
    for piece in pieces:
        pending.append(piece)
        pending_size += len(piece)
        if pending_size >= block_size:
            yield b"".join(pending)
            pending, pending_size = [], 0
    if pending:
        yield b"".join(pending)
