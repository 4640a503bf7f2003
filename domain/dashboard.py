from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, replace
from enum import StrEnum

from domain.json_document import JsonDocument


class TileType(StrEnum):
    OPTIMIZE_REPORT = "optimize_report"
    EXTERNAL_URL = "external_url"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Tile:
    """One tile of a dashboard. Only a report tile names a report; text and external-URL tiles
    keep their content in `configuration`."""

    type: TileType
    report_id: str | None
    x: int
    y: int
    width: int
    height: int
    configuration: JsonDocument | None = None

    def __post_init__(self) -> None:
        if (self.type is TileType.OPTIMIZE_REPORT) != (self.report_id is not None):
            raise ValueError("a report tile, and only a report tile, names a report")

    @property
    def wire_id(self) -> str:
        return self.report_id if self.report_id is not None else ""


@dataclass(frozen=True, slots=True)
class Dashboard:
    id: str
    name: str
    description: str | None
    collection_id: str | None
    tiles: tuple[Tile, ...]
    available_filters: JsonDocument

    def report_ids(self) -> tuple[str, ...]:
        """The reports on this dashboard's report tiles, in tile order, each once."""
        return tuple(dict.fromkeys(t.report_id for t in self.tiles if t.report_id is not None))

    def without_reports(self, gone: Container[str]) -> Dashboard:
        """This dashboard without the tiles that show one of `gone`."""
        tiles = tuple(t for t in self.tiles if t.report_id is None or t.report_id not in gone)
        return self if len(tiles) == len(self.tiles) else replace(self, tiles=tiles)
