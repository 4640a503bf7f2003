from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from application.delivery import Delivery, DeliveryOptions, deliver
from application.outgoing_file import OutgoingFile
from application.ports.file_tree import FileTree
from application.ports.optimize_server import EntityKind, OptimizeServer
from application.ports.progress import Progress, SilentProgress
from application.ports.release_converter import ReleaseConverter
from application.ports.spool import Spool
from domain.collection_directory import (
    DASHBOARDS,
    REPORTS,
    entity_from_file,
    render,
)
from domain.json_document import JsonValue

STATE_FILE = "push-state.json"
ID_MAP_FILE = "id-map.json"
DEFAULT_BATCH = 100


@dataclass(frozen=True, slots=True)
class PushOptions:
    delivery: DeliveryOptions = field(default_factory=DeliveryOptions)
    replace: bool = False


@dataclass(frozen=True, slots=True)
class PushResult:
    delivery: Delivery
    source_ids: tuple[str, ...]
    source_kinds: tuple[str, ...]
    deleted: tuple[str, ...] = ()
    """Entities of the previous push deleted by --replace, after the import succeeded."""

    def id_map(self) -> dict[str, str]:
        return self.delivery.id_map(self.source_ids, self.source_kinds)


class PushDirectory:
    """Reassembles a pulled directory into one export file and imports it into a collection of
    the target (see `deliver`). The ids the import answers are kept in a state file in the
    directory, one entry per target and collection; with `replace`, the entities the previous
    push there created and this one did not update are deleted, only after this import
    succeeded. Without overwrite on a boardport, a repeated push creates duplicates: the user
    is told before the import."""

    def __init__(
        self,
        target: OptimizeServer,
        tree: FileTree,
        spool: Spool,
        *,
        converter: ReleaseConverter,
        progress: Progress | None = None,
        batch_size: int = DEFAULT_BATCH,
    ) -> None:
        self._target = target
        self._tree = tree
        self._spool = spool
        self._converter = converter
        self._progress = progress or SilentProgress()
        self._batch = batch_size

    def __call__(self, collection_id: str, options: PushOptions | None = None) -> PushResult:
        try:
            return self._push(collection_id, options or PushOptions())
        finally:
            self._spool.close()

    def _push(self, collection_id: str, options: PushOptions) -> PushResult:
        target = self._target
        boardport = target.is_boardport()
        known = target.definitions() if boardport and options.delivery.prepare else []
        outgoing = OutgoingFile(self._spool, known)
        self._read_directory(outgoing)
        states = self._states()
        key = f"{target.url} {collection_id}"
        previous = _entries(states.get(key))
        idempotent = boardport and options.delivery.overwrite
        if previous and not idempotent and not options.replace:
            self._progress.note(
                f"{len(previous)} entities of an earlier push are in collection "
                f"{collection_id} of {target.url}; this push creates new ones beside them "
                "(--replace deletes the earlier ones after this import succeeds"
                + ("; --overwrite updates them in place)" if boardport else ")")
            )
        delivery = deliver(
            target,
            collection_id,
            outgoing,
            options=options.delivery,
            converter=self._converter,
            progress=self._progress,
        )
        ids = (tuple(outgoing.source_ids), tuple(outgoing.source_kinds))
        if options.delivery.dry_run or not delivery.sent:
            return PushResult(delivery, *ids)
        now = {item.id for item in delivery.items}
        deleted = self._delete_previous(previous, now) if options.replace else ()
        states[key] = [{"id": item.id, "entityType": item.entity_type} for item in delivery.items]
        self._tree.write(STATE_FILE, render(dict(sorted(states.items()))))
        result = PushResult(delivery, *ids, deleted)
        id_map: dict[str, JsonValue] = dict(result.id_map())
        self._tree.write(ID_MAP_FILE, render(id_map))
        return result

    def _read_directory(self, outgoing: OutgoingFile) -> None:
        """Every entity file of the directory into the outgoing file, a batch at a time."""
        paths = [
            path
            for folder in (REPORTS, DASHBOARDS)
            for path in self._tree.paths(folder)
            if path.endswith(".json")
        ]
        self._progress.phase("read", len(paths))
        batch: list[JsonValue] = []
        for path in paths:
            batch.append(entity_from_file(path, self._tree.read(path) or "", self._tree.read))
            if len(batch) == self._batch:
                outgoing.add(batch)
                self._progress.advance(len(batch))
                batch = []
        outgoing.add(batch)
        self._progress.advance(len(batch))

    def _states(self) -> dict[str, JsonValue]:
        text = self._tree.read(STATE_FILE)
        if text is None:
            return {}
        try:
            states = json.loads(text)
        except ValueError:
            return {}
        return states if isinstance(states, dict) else {}

    def _delete_previous(
        self, previous: list[dict[str, JsonValue]], now: set[str]
    ) -> tuple[str, ...]:
        stale = [e for e in previous if isinstance(e.get("id"), str) and e["id"] not in now]
        # Dashboards first: a report deleted before its dashboard would change that dashboard.
        stale.sort(key=lambda e: e.get("entityType") != "dashboard")
        self._progress.phase("delete", len(stale))
        deleted: list[str] = []
        delete: Callable[[EntityKind, str], bool] = self._target.delete
        for entry in stale:
            kind = (
                EntityKind.DASHBOARD
                if entry.get("entityType") == "dashboard"
                else EntityKind.REPORT
            )
            if delete(kind, str(entry["id"])):
                deleted.append(str(entry["id"]))
            self._progress.advance()
        return tuple(deleted)


def _entries(state: JsonValue) -> list[dict[str, JsonValue]]:
    return [e for e in state if isinstance(e, dict)] if isinstance(state, list) else []
