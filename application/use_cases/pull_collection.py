from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from application.ports.file_tree import FileTree
from application.ports.optimize_server import EntityKind, OptimizeServer
from application.ports.progress import Progress, SilentProgress
from domain.collection_directory import (
    DASHBOARDS,
    DEFINITIONS,
    MANIFEST,
    REPORTS,
    entity_file,
    manifest,
)
from domain.json_document import JsonValue

DEFAULT_BATCH = 100


@dataclass(frozen=True, slots=True)
class PullResult:
    dashboards: int
    reports: int
    definitions: int
    removed: tuple[str, ...]
    """Files of an earlier pull whose entity the collection no longer holds."""


def batches(ids: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


class PullCollection:
    """Writes every dashboard and report of a source collection into a directory, one file
    each, the XML once per definition version, and a manifest. Exports are asked for in
    batches of ids and written as they come, so one batch at most is in memory. The files
    depend only on what the server holds: pulling an unchanged collection again rewrites
    nothing, and files of entities that are gone are removed."""

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

    def __call__(self, collection_id: str) -> PullResult:
        progress = self._progress
        progress.phase("list", 2)
        dashboard_ids = self._source.list_ids(EntityKind.DASHBOARD, collection_id)
        progress.advance()
        report_ids = self._source.list_ids(EntityKind.REPORT, collection_id)
        progress.advance()
        written: dict[str, str] = {}  # entity id -> its file
        definitions: dict[str, str] = {}  # definition file -> its XML
        index_versions: dict[str, int] = {}
        progress.phase("export", len(dashboard_ids) + len(report_ids))
        counts = {"dashboard": 0, "report": 0}

        def keep(entities: list[JsonValue]) -> None:
            for entity in entities:
                if not isinstance(entity, dict) or entity.get("id") in written:
                    continue
                file = entity_file(entity, definitions)
                if file.definition is not None:
                    self._tree.write(file.definition.path, file.definition.xml)
                self._tree.write(file.path, file.text)
                written[str(entity["id"])] = file.path
                kind = str(entity.get("exportEntityType", "")).lower()
                counts["dashboard" if kind == "dashboard" else "report"] += 1
                version = entity.get("sourceIndexVersion")
                if isinstance(version, int):
                    index_versions[kind] = version
                progress.advance()

        for batch in batches(dashboard_ids, self._batch):
            keep(self._source.export(EntityKind.DASHBOARD, batch))
        remaining = [i for i in report_ids if i not in written]
        for batch in batches(remaining, self._batch):
            keep(self._source.export(EntityKind.REPORT, batch))

        self._tree.write(MANIFEST, manifest(self._source.url, collection_id, index_versions))
        kept = set(written.values()) | set(definitions)
        removed = tuple(
            path
            for folder in (DASHBOARDS, REPORTS, DEFINITIONS)
            for path in self._tree.paths(folder)
            if path not in kept
        )
        for path in removed:
            self._tree.remove(path)
        return PullResult(counts["dashboard"], counts["report"], len(definitions), removed)
