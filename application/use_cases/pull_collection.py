from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from application.deploy.selected_exports import batches, export_selected, stop_unmatched
from application.ports.file_tree import FileTree
from application.ports.optimize_server import EntityKind, OptimizeServer
from application.ports.progress import Progress, SilentProgress
from domain.collection_directory import (
    DASHBOARDS,
    DEFINITIONS,
    MANIFEST,
    PULL_UNFINISHED,
    REPORTS,
    STATE_GITIGNORE,
    STATE_GITIGNORE_TEXT,
    entity_file,
    manifest,
    read_manifest,
)
from domain.json_document import JsonValue
from domain.selection import Selection, Selector

DEFAULT_BATCH = 100
__all__ = ["DEFAULT_BATCH", "PullCollection", "PullResult", "batches"]


@dataclass(frozen=True, slots=True)
class PullResult:
    dashboards: int
    reports: int
    definitions: int
    removed: tuple[str, ...]
    """Files of an earlier pull whose entity the collection no longer holds (or, in a pull
    of a part, that the entity's new file replaces)."""


class PullCollection:
    """Writes every dashboard and report of a source collection into a directory, one file
    each, the XML once per definition version, and a manifest listing every entity's file.
    Exports are asked for in batches of ids and written as they come, so one batch at most is
    in memory. The files depend only on what the server holds: pulling an unchanged
    collection again rewrites nothing, and files of entities that are gone are removed.

    A pull that stops midway is never pushed: it marks the directory unfinished in its state
    before it writes the first file and clears the mark after the manifest, written last (a
    push refuses a marked directory). An unknown collection is a 404, not an empty pull.

    With a selector it writes only the part selected, keeps the other files of an earlier pull,
    and says in the manifest that the directory is partial (a push refuses it without
    --partial or a selector of its own); a later pull of the whole completes it. A selector
    that matches nothing stops the pull: an id before anything is written, a name glob at the
    end, before the manifest (the directory then stays marked unfinished)."""

    def __init__(
        self,
        source: OptimizeServer,
        tree: FileTree,
        progress: Progress | None = None,
        batch_size: int = DEFAULT_BATCH,
    ) -> None:
        self._source = source
        self._tree = tree
        self._progress = progress or SilentProgress()
        self._batch = batch_size

    def __call__(self, collection_id: str, selector: Selector | None = None) -> PullResult:
        dashboard_ids, report_ids = self._listed(collection_id)
        if not dashboard_ids and not report_ids:
            self._source.check_collection(collection_id)
        selection = None
        where = f"collection {collection_id} of {self._source.url}"
        if selector is not None and not selector.whole:
            selection = Selection(selector, dashboard_ids, report_ids)
            stop_unmatched(selection.absent(), where)
        self._tree.write(STATE_GITIGNORE, STATE_GITIGNORE_TEXT)
        self._tree.write(PULL_UNFINISHED, "a pull into this directory began and has not ended\n")
        written = _Written()
        if selection is None:
            self._export_whole(dashboard_ids, report_ids, written)
            removed = self._remove_stale(written)
        else:
            self._progress.phase("export")
            listed = (dashboard_ids, report_ids)
            keep = partial(self._keep, written=written)
            export_selected(self._source.export, selection, listed, self._batch, keep)
            stop_unmatched(selection.unmatched(), f"{where} (the pull did not finish)")
            removed = self._merge_earlier(collection_id, written)
        self._tree.write(
            MANIFEST,
            manifest(
                self._source.url,
                collection_id,
                written.index_versions,
                written.files,
                part=None if selection is None else selection.selector,
            ),
        )
        self._tree.remove(PULL_UNFINISHED)
        return PullResult(
            written.counts["dashboard"], written.counts["report"], len(written.definitions), removed
        )

    def _export_whole(
        self, dashboard_ids: list[str], report_ids: list[str], written: _Written
    ) -> None:
        self._progress.phase("export", len(dashboard_ids) + len(report_ids))
        for batch in batches(dashboard_ids, self._batch):
            self._keep(self._source.export(EntityKind.DASHBOARD, batch), written)
        remaining = [i for i in report_ids if i not in written.files]
        for batch in batches(remaining, self._batch):
            self._keep(self._source.export(EntityKind.REPORT, batch), written)

    def _listed(self, collection_id: str) -> tuple[list[str], list[str]]:
        """(dashboard ids, report ids) of the collection."""
        self._progress.phase("list", 2)
        dashboard_ids = self._source.list_ids(EntityKind.DASHBOARD, collection_id)
        self._progress.advance()
        report_ids = self._source.list_ids(EntityKind.REPORT, collection_id)
        self._progress.advance()
        return dashboard_ids, report_ids

    def _keep(self, entities: Sequence[JsonValue], written: _Written) -> None:
        """Writes each entity not written yet (a report comes with its dashboard and again on
        its own), and the XML of its definition the first time that is seen."""
        for entity in entities:
            if not isinstance(entity, dict) or entity.get("id") in written.files:
                continue
            file = entity_file(entity, written.definitions)
            if file.definition is not None:
                self._tree.write(file.definition.path, file.definition.xml)
            self._tree.write(file.path, file.text)
            written.files[str(entity["id"])] = file.path
            kind = str(entity.get("exportEntityType", "")).lower()
            written.counts["dashboard" if kind == "dashboard" else "report"] += 1
            version = entity.get("sourceIndexVersion")
            if isinstance(version, int):
                written.index_versions[kind] = version
            self._progress.advance()

    def _merge_earlier(self, collection_id: str, written: _Written) -> tuple[str, ...]:
        """A part pulled into a directory of the same collection: the earlier manifest's
        files that are still there are listed beside the part's, and an entity's earlier
        file is removed when its file is now another (it was renamed)."""
        earlier = read_manifest(self._tree.read(MANIFEST))
        if earlier is None or earlier.files is None:
            return ()
        if (earlier.source, earlier.collection) != (self._source.url, collection_id):
            return ()
        removed: list[str] = []
        for entity_id, path in earlier.files.items():
            now = written.files.get(entity_id)
            if now is not None and now != path and self._tree.read(path) is not None:
                self._tree.remove(path)
                removed.append(path)
            elif now is None and self._tree.read(path) is not None:
                written.files[entity_id] = path
        return tuple(removed)

    def _remove_stale(self, written: _Written) -> tuple[str, ...]:
        """Removes the files of an earlier pull that this one did not write."""
        kept = set(written.files.values()) | set(written.definitions)
        removed = tuple(
            path
            for folder in (DASHBOARDS, REPORTS, DEFINITIONS)
            for path in self._tree.paths(folder)
            if path not in kept
        )
        for path in removed:
            self._tree.remove(path)
        return removed


@dataclass(slots=True)
class _Written:
    """What a pull has written so far."""

    files: dict[str, str] = field(default_factory=dict)
    """Entity id to its file."""
    definitions: dict[str, str] = field(default_factory=dict)
    """Definition file to its XML."""
    index_versions: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: {"dashboard": 0, "report": 0})
