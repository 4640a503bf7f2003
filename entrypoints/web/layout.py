"""A dashboard's layout as a picture: Optimize's grid (18 columns, tiles placed by column and
row) drawn as boxes, each labelled with what the tile shows. Geometry and labels only; the SVG
is written by the template, which escapes every text."""

from __future__ import annotations

from dataclasses import dataclass

from application.use_cases.show_dashboard import DashboardView
from domain.dashboard import TileType
from domain.json_document import JsonValue
from domain.tile_content import tile_text, tile_url

GRID_COLUMNS = 18
CELL = 40
"""Width and height of one grid cell, in SVG units."""
GAP = 6
LABEL_UNITS = 13
"""The labels' font size, in SVG units."""
MIN_LABEL_PX = 12
_CHAR_WIDTH = 7.8  # of the 13-unit sans-serif label font, bold, on average
_LINE_HEIGHT = 17
_PADDING = 10
_MIN_ROWS = 4


@dataclass(frozen=True, slots=True)
class TileBox:
    kind: str  # "report", "text", "external"
    column: int
    row: int
    columns: int
    rows: int
    title: str
    lines: tuple[str, ...]
    """The label, fitted to the box: cut to its width, and to as many lines as fit."""
    report_id: str | None = None
    """The report a report tile shows, when it is stored (its page is linked)."""

    @property
    def x(self) -> int:
        return self.column * CELL + GAP // 2

    @property
    def y(self) -> int:
        return self.row * CELL + GAP // 2

    @property
    def width(self) -> int:
        return max(self.columns * CELL - GAP, 1)

    @property
    def height(self) -> int:
        return max(self.rows * CELL - GAP, 1)

    @property
    def text_x(self) -> int:
        return self.x + _PADDING

    def line_y(self, index: int) -> int:
        return self.y + _PADDING + 13 + index * _LINE_HEIGHT


@dataclass(frozen=True, slots=True)
class Layout:
    tiles: tuple[TileBox, ...]
    width: int
    height: int

    @property
    def narrowest(self) -> int:
        """The width, in pixels, below which the labels would be smaller than 12 px: on a
        narrow screen the drawing keeps it and scrolls sideways."""
        return -(-self.width * MIN_LABEL_PX // LABEL_UNITS)


def dashboard_layout(view: DashboardView) -> Layout:
    boxes = []
    for tile in view.dashboard.tiles:
        report_id = None
        if tile.type is TileType.OPTIMIZE_REPORT:
            report = view.reports.get(tile.report_id or "")
            name = report.name if report else f"missing report {tile.report_id}"
            kind, title = "report", name
            report_id = report.id if report else None
            words = [name, f"{report.visualization or 'report'}" if report else ""]
        elif tile.type is TileType.TEXT:
            text = tile_text(tile)
            kind, title = "text", text
            words = text.split("\n") if text else ["(empty text)"]
        else:
            url = tile_url(tile)
            kind, title = "external", url
            words = ["External page", url]
        boxes.append(
            TileBox(
                kind,
                tile.x,
                tile.y,
                tile.width,
                tile.height,
                title,
                _fit(words, tile.width * CELL - GAP - 2 * _PADDING, tile.height * CELL - GAP),
                report_id,
            )
        )
    rows = max([b.row + b.rows for b in boxes] + [_MIN_ROWS])
    columns = max([b.column + b.columns for b in boxes] + [GRID_COLUMNS])
    return Layout(tuple(boxes), columns * CELL, rows * CELL)


def _fit(words: list[str], width: float, height: float) -> tuple[str, ...]:
    """Wraps each text to the box's width (breaking what has no space to break at), and keeps
    as many lines as fit its height, the last one an ellipsis when some are left out."""
    per_line = max(int(width / _CHAR_WIDTH), 1)
    fitting = max(int((height - 2 * _PADDING) / _LINE_HEIGHT), 1)
    lines: list[str] = []
    for text in words:
        lines.extend(_wrap(text, per_line))
    if len(lines) > fitting:
        lines = [*lines[: fitting - 1], "…"] if fitting > 1 else [lines[0]]
    return tuple(lines)


def _wrap(text: str, per_line: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for whole in text.split():
        word = whole
        while len(word) > per_line:  # a URL, say: broken across lines
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:per_line])
            word = word[per_line:]
        if current and len(current) + 1 + len(word) > per_line:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def filter_labels(available_filters: JsonValue) -> list[str]:
    """Each dashboard filter in words: its type, and a variable filter's variable."""
    if not isinstance(available_filters, list):
        return []
    labels = []
    for entry in available_filters:
        if not isinstance(entry, dict):
            continue
        kind = entry.get("type")
        label = str(kind) if kind is not None else "filter"
        data = entry.get("data")
        name = data.get("name") if isinstance(data, dict) else None
        if isinstance(name, str):
            label = f"{label}: {name}"
        labels.append(label)
    return labels
