"""The export writer of `domain.export_format`, bound to msgspec's encoder."""

from __future__ import annotations

import msgspec

from domain.export import EntityExport
from domain.export_format import writer
from domain.export_format.releases import LATEST, Release

encode = msgspec.json.Encoder().encode
decode = msgspec.json.Decoder().decode


def export_json(export: EntityExport, release: Release = LATEST) -> bytes:
    return b"".join(writer.iter_release_json(export.entities(), release, encode, decode))
