from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InputLimits:
    """How much one request may ask of the server. Each limit is a setting (see the README);
    exceeding one is a 4xx naming the limit, never a slow death."""

    max_export_ids: int = 10_000
    max_import_entities: int = 20_000
    max_id_length: int = 512
    max_name_length: int = 1_000
