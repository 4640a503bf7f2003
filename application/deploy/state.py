"""What a directory's pushes left behind, per target URL and collection: the entities the last
push there created or updated, the deletes a --prune has yet to make, and the id map. Kept in
`.boardport/` (with a .gitignore of its own), where the files an earlier boardport wrote at
the directory's top are moved the first time they are written again."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from application.ports.file_tree import FileTree
from application.ports.optimize_server import ImportAnswerItem
from domain.collection_directory import STATE, STATE_GITIGNORE, STATE_GITIGNORE_TEXT, render
from domain.json_document import JsonValue

STATE_FILE = f"{STATE}/push-state.json"
ID_MAP_FILE = f"{STATE}/id-map.json"
EARLIER_FILES = {STATE_FILE: "push-state.json", ID_MAP_FILE: "id-map.json"}
"""Where an earlier boardport kept each file: at the top of the directory."""


@dataclass(frozen=True, slots=True)
class Pushed:
    """What the client remembers of its last push to one collection of one target."""

    entities: tuple[ImportAnswerItem, ...] = ()
    pending_deletes: tuple[ImportAnswerItem, ...] = ()
    """Entities a --prune against an Optimize was still to delete when it stopped."""


class DeployState:
    """The state file, read when it is first asked for."""

    def __init__(self, tree: FileTree) -> None:
        self._tree = tree
        self._read: dict[str, JsonValue] | None = None

    @property
    def _states(self) -> dict[str, JsonValue]:
        if self._read is None:
            self._read = _read_states(_read(self._tree, STATE_FILE))
        return self._read

    def pushed(self, target_url: str, collection_id: str) -> Pushed:
        entry = self._states.get(_key(target_url, collection_id))
        if isinstance(entry, list):  # an earlier boardport's form: the entities only
            return Pushed(_items(entry))
        if not isinstance(entry, dict):
            return Pushed()
        return Pushed(_items(entry.get("entities")), _items(entry.get("pendingDeletes")))

    def record(self, target_url: str, collection_id: str, pushed: Pushed) -> None:
        """Writes the whole state at once (a file is replaced whole, never half-written)."""
        self._states[_key(target_url, collection_id)] = {
            "entities": _rendered(pushed.entities),
            "pendingDeletes": _rendered(pushed.pending_deletes),
        }
        self._write(STATE_FILE, render(dict(sorted(self._states.items()))))

    def write_id_map(self, id_map: Mapping[str, str]) -> None:
        self._write(ID_MAP_FILE, render(dict(sorted(id_map.items()))))

    def _write(self, path: str, text: str) -> None:
        self._tree.write(STATE_GITIGNORE, STATE_GITIGNORE_TEXT)
        self._tree.write(path, text)
        self._tree.remove(EARLIER_FILES[path])


def _key(target_url: str, collection_id: str) -> str:
    return f"{target_url} {collection_id}"


def _read(tree: FileTree, path: str) -> str | None:
    text = tree.read(path)
    return text if text is not None else tree.read(EARLIER_FILES[path])


def _read_states(text: str | None) -> dict[str, JsonValue]:
    try:
        states = json.loads(text) if text is not None else {}
    except ValueError:
        return {}
    return states if isinstance(states, dict) else {}


def _items(entries: JsonValue) -> tuple[ImportAnswerItem, ...]:
    if not isinstance(entries, list):
        return ()
    return tuple(
        ImportAnswerItem(
            str(e["id"]),
            str(e.get("entityType", "report")),
            str(e["sourceId"]) if isinstance(e.get("sourceId"), str) else None,
        )
        for e in entries
        if isinstance(e, dict) and isinstance(e.get("id"), str)
    )


def _rendered(items: Iterable[ImportAnswerItem]) -> list[JsonValue]:
    rendered: list[JsonValue] = []
    for item in items:
        entry: dict[str, JsonValue] = {"id": item.id, "entityType": item.entity_type}
        if item.source_id is not None:
            entry["sourceId"] = item.source_id
        rendered.append(entry)
    return rendered
