"""The export writer of `domain.export_format`, bound to msgspec's encoder."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import msgspec

from domain.dashboard import Dashboard
from domain.export import EntityExport
from domain.export_format import writer
from domain.export_format.releases import LATEST, Release
from domain.report import Report

encode = msgspec.json.Encoder().encode
decode = msgspec.json.Decoder().decode


def report_json(report: Report) -> bytes:
    return b"".join(writer.report_pieces(report, encode))


def dashboard_json(dashboard: Dashboard) -> bytes:
    return writer.dashboard_json(dashboard, encode)


def export_json(export: EntityExport, release: Release = LATEST) -> bytes:
    return b"".join(writer.iter_release_json(export.entities(), release, encode, decode))


def export_blocks(
    entities: Iterable[Report | Dashboard],
    block_size: int = 1024 * 1024,
    release: Release = LATEST,
) -> Iterator[bytes]:
    """The export in blocks of about `block_size` bytes, for a streamed response."""
    return writer.in_blocks(writer.iter_release_json(entities, release, encode, decode), block_size)
