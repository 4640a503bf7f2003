from __future__ import annotations

from collections.abc import Sequence

from application.ports.release_converter import (
    Conversion,
    ConversionUnavailable,
    ReleaseConverter,
)
from domain.json_document import JsonValue


class NoReleaseConverter(ReleaseConverter):
    """Stands where the release converter (domain/export_format) will be wired: it knows no
    release, so an `importIndexVersionMismatch` is reported as the target sent it, and
    `--target-version` is refused with the reason."""

    def release_of(self, mismatching_indices: Sequence[JsonValue]) -> str | None:  # noqa: ARG002
        return None

    def convert(self, entities: Sequence[JsonValue], release: str) -> Conversion:  # noqa: ARG002
        raise ConversionUnavailable(
            f"This build cannot write the format of release {release}: the release converter "
            "is not part of it yet."
        )
