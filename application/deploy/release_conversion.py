"""An outgoing file written again for the release a target runs (MIGRATIONS.md §6)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from application.outgoing_file import OutgoingFile
from application.ports.optimize_server import ImportBody, ServerRefused
from application.ports.release_converter import ConversionUnavailable, ReleaseConverter
from domain.json_document import JsonValue

INDEX_MISMATCH = "importIndexVersionMismatch"


class ConversionLoses(ConversionUnavailable):
    """The target's release cannot hold everything, and losing it was not allowed."""


@dataclass(frozen=True, slots=True)
class ConvertedBody:
    data: bytes

    def chunks(self) -> Iterator[bytes]:
        yield self.data


def release_asked(refusal: ServerRefused, converter: ReleaseConverter) -> str | None:
    """The release a target runs, when it refused the file's index versions and the converter
    knows the versions it named."""
    if refusal.error_code != INDEX_MISMATCH:
        return None
    indices = refusal.extra.get("mismatchingIndices")
    return converter.release_of(indices if isinstance(indices, list) else [])


def converted(
    outgoing: OutgoingFile,
    release: str,
    *,
    converter: ReleaseConverter,
    allow_loss: bool,
    say: Callable[[str], None],
) -> tuple[ImportBody, tuple[str, ...]]:
    """(the file in the release's format, what it lost). Raises ConversionLoses when it would
    lose something and that was not allowed."""
    conversion = converter.convert(outgoing.entities(), release)
    if conversion.losses and not allow_loss:
        raise ConversionLoses(
            f"Writing the file for release {release} would lose: "
            + "; ".join(conversion.losses)
            + " (--allow-loss accepts that)"
        )
    say(
        f"converted {len(conversion.entities)} entities to the format of release {release}"
        + (f", losing: {'; '.join(conversion.losses)}" if conversion.losses else "")
    )
    payload: list[JsonValue] = conversion.entities
    return ConvertedBody(json.dumps(payload, ensure_ascii=False).encode()), conversion.losses
