"""What a dashboard tile shows a person: a text tile's words, an external tile's address."""

from __future__ import annotations

from domain.dashboard import Tile, TileType
from domain.json_document import JsonValue

_BLOCK_TYPES = frozenset({"paragraph", "heading", "quote", "listitem", "list", "code", "table"})
_MAX_DEPTH = 64


def tile_text(tile: Tile) -> str:
    """A text tile's plain text. Optimize keeps it as a Lexical editor tree in
    `configuration.text.root`: the text nodes' `text`, blocks (paragraphs, headings, list
    items) on lines of their own. Empty for other tiles and for a tree it cannot read."""
    if tile.type is not TileType.TEXT or tile.configuration is None:
        return ""
    text = _field(_field(tile.configuration.value, "text"), "root")
    lines: list[str] = []
    _collect(text, lines, [], 0)
    return "\n".join(line.strip() for line in lines if line.strip())


def tile_url(tile: Tile) -> str:
    """An external tile's address (`configuration.external`); empty when it has none."""
    if tile.type is not TileType.EXTERNAL_URL or tile.configuration is None:
        return ""
    url = _field(tile.configuration.value, "external")
    return url if isinstance(url, str) else ""


def _collect(node: JsonValue, lines: list[str], current: list[str], depth: int) -> None:
    if depth > _MAX_DEPTH or not isinstance(node, dict):
        return
    text = node.get("text")
    if isinstance(text, str):
        current.append(text)
    if node.get("type") == "linebreak":
        current.append("\n")
    children = node.get("children")
    for child in children if isinstance(children, list) else ():
        _collect(child, lines, current, depth + 1)
        if isinstance(child, dict) and child.get("type") in _BLOCK_TYPES:
            _flush(lines, current)
    if depth == 0:
        _flush(lines, current)


def _flush(lines: list[str], current: list[str]) -> None:
    if current:
        lines.extend("".join(current).split("\n"))
        current.clear()


def _field(value: JsonValue, name: str) -> JsonValue:
    return value.get(name) if isinstance(value, dict) else None
