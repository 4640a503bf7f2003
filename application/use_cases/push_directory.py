from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from application.deploy.delivery import DELETED, Delivery, DeliveryOptions, deliver
from application.deploy.errors import DirectoryIncomplete, ImportAnswerLost
from application.deploy.prune import delete_stale, stale
from application.deploy.selected_exports import stop_unmatched
from application.deploy.state import DeployState, Pushed
from application.outgoing_file import OutgoingFile
from application.ports.file_tree import FileTree
from application.ports.json_codec import JsonCodec
from application.ports.optimize_server import ImportAnswerItem, OptimizeServer, ServerKind
from application.ports.progress import Progress, SilentProgress
from application.ports.release_converter import ReleaseConverter
from application.ports.spool import Spool
from domain.collection_directory import (
    DASHBOARDS,
    MANIFEST,
    PULL_UNFINISHED,
    REPORTS,
    Manifest,
    directory_problems,
    entity_from_file,
    read_manifest,
)
from domain.json_document import JsonValue
from domain.selection import DASHBOARD, REPORT, Outline, Selection, Selector
from domain.source_label import source_label

DEFAULT_BATCH = 100


@dataclass(frozen=True, slots=True)
class PushOptions:
    delivery: DeliveryOptions = field(default_factory=DeliveryOptions)
    partial: bool = False
    """Push a directory that is not the whole of a pulled collection anyway."""
    selector: Selector = field(default_factory=Selector)
    """Push only this part of the directory (a part needs no `partial`)."""


@dataclass(frozen=True, slots=True)
class PushResult:
    delivery: Delivery
    source_ids: tuple[str, ...]
    source_kinds: tuple[str, ...]
    source_names: tuple[str, ...] = ()

    def id_map(self) -> dict[str, str]:
        return self.delivery.id_map(list(self.source_ids), list(self.source_kinds))

    @property
    def deleted(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.delivery.items if i.action == DELETED)


class PushDirectory:
    """Reassembles a pulled directory into one export file and imports it into a collection of
    the target (see `deliver`): converging against a boardport, with the directory's source
    as the label. A directory that is not the whole of a pull (an unfinished pull, files other
    than those boardport.json lists) is refused unless `partial`. What the push created is
    kept in the directory's state, per target and collection; against an Optimize, --prune
    deletes what the previous push there created, after the import succeeded.

    With a selector only that part of the directory is pushed (see `domain.selection`; it is
    read twice, the second time only the part's files); what it created is added to the state
    of the pushes before, so that a later --prune still knows the whole."""

    def __init__(
        self,
        target: OptimizeServer,
        tree: FileTree,
        spool: Spool,
        *,
        converter: ReleaseConverter,
        progress: Progress | None = None,
        batch_size: int = DEFAULT_BATCH,
        codec: JsonCodec | None = None,
    ) -> None:
        self._target = target
        self._codec = codec
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
        target, delivery_options = self._target, options.delivery
        kind = target.kind()
        separately = kind is ServerKind.EARLIER_BOARDPORT and delivery_options.prepare
        known = target.definitions() if separately else None
        outgoing = OutgoingFile(self._spool, known, codec=self._codec)
        manifest = self._read_whole(outgoing, options)
        state = DeployState(self._tree)
        converging = kind.is_boardport and not delivery_options.new_copies
        # A converging dry run (a plan) needs nothing of the previous push, since the target
        # knows what this source deployed: the state of thousands of entities is not read.
        dry = converging and delivery_options.dry_run
        previous = Pushed() if dry else state.pushed(target.url, collection_id)
        self._warn_of_copies(previous, collection_id, converging=converging, options=options)
        label = _label(manifest)
        try:
            delivery = deliver(
                target,
                outgoing,
                collection_id,
                source=label,
                options=delivery_options,
                converter=self._converter,
                progress=self._progress,
            )
        except ImportAnswerLost as lost:
            raise self._recorded(lost, state, collection_id, previous, delivery_options) from None
        result = PushResult(
            delivery,
            tuple(outgoing.source_ids),
            tuple(outgoing.source_kinds),
            tuple(outgoing.source_names),
        )
        if delivery_options.dry_run or not delivery.sent:
            return self._predicted(result, previous, converging=converging, options=options)
        return self._settled(result, state, previous, converging=converging, options=options)

    def _read_whole(self, outgoing: OutgoingFile, options: PushOptions) -> Manifest | None:
        """The directory's entity files (a selector's part of them) into the outgoing file,
        a batch at a time; the manifest. Raises DirectoryIncomplete, unless `partial` or a
        selector, for a directory that is not the whole of a pull."""
        paths = [
            path
            for folder in (REPORTS, DASHBOARDS)
            for path in self._tree.paths(folder)
            if path.endswith(".json")
        ]
        if options.selector.whole:
            read = self._read_directory(outgoing, paths)
        else:
            read, paths = self._selected(paths, options.selector)
            self._read_directory(outgoing, paths)
        manifest = read_manifest(self._tree.read(MANIFEST))
        unfinished = self._tree.read(PULL_UNFINISHED) is not None
        problems = directory_problems(manifest, read, pull_unfinished=unfinished)
        if problems and not options.partial and options.selector.whole:
            raise DirectoryIncomplete(
                f"the directory is not the whole of a pulled collection: {'; '.join(problems)}. "
                "Pull it again, or push --partial to push it as it is. To delete an entity "
                f"from the target, remove its file and its line in {MANIFEST}, then push --prune."
            )
        if problems:
            self._progress.note(f"pushing a part of a directory: {'; '.join(problems)}")
        return manifest

    def _selected(self, paths: list[str], selector: Selector) -> tuple[dict[str, str], list[str]]:
        """(each entity id of the directory with its file, the files of the selector's part).
        Raises SelectorMatchedNothing when a selector names nothing in the directory."""
        files: dict[str, str] = {}
        outlines: list[Outline] = []
        for path in paths:
            text = self._tree.read(path) or ""
            outline = Outline.of(entity_from_file(path, text, _no_xml, parse=self._parse))
            if outline is not None and outline.id not in files:
                files[outline.id] = path
                outlines.append(outline)
        selection = Selection(
            selector,
            [o.id for o in outlines if o.kind == DASHBOARD],
            [o.id for o in outlines if o.kind == REPORT],
        )
        kept = selection.take(outlines)
        stop_unmatched(selection.unmatched(), "the directory")
        return files, [path for entity_id, path in files.items() if entity_id in kept]

    def _read_directory(self, outgoing: OutgoingFile, paths: list[str]) -> dict[str, str]:
        """Each entity id read, with its file."""
        self._progress.phase("read", len(paths))
        read: dict[str, str] = {}
        batch: list[JsonValue] = []
        for path in paths:
            text = self._tree.read(path) or ""
            entity = entity_from_file(path, text, self._tree.read, parse=self._parse)
            if isinstance(entity, dict):
                read.setdefault(str(entity.get("id")), path)
            batch.append(entity)
            if len(batch) == self._batch:
                outgoing.add(batch)
                self._progress.advance(len(batch))
                batch = []
        outgoing.add(batch)
        self._progress.advance(len(batch))
        return read

    def _parse(self, text: str) -> JsonValue:
        if self._codec is None:
            return json.loads(text)  # type: ignore[no-any-return]
        return self._codec.decode(text.encode())

    def _warn_of_copies(
        self, previous: Pushed, collection_id: str, *, converging: bool, options: PushOptions
    ) -> None:
        if previous.entities and not converging and not options.delivery.prune:
            self._progress.note(
                f"{len(previous.entities)} entities of an earlier push are in collection "
                f"{collection_id} of {self._target.url}; this push creates new ones beside "
                "them (--prune deletes the earlier ones after this import succeeds)"
            )

    def _recorded(
        self,
        lost: ImportAnswerLost,
        state: DeployState,
        collection_id: str,
        previous: Pushed,
        options: DeliveryOptions,
    ) -> ImportAnswerLost:
        """The loss, its landed entities recorded as this push's (so that --prune replaces
        them) when the target's collection showed them."""
        if lost.landed is None or options.dry_run:
            return lost
        pending = stale(previous, lost.landed) if options.prune else previous.pending_deletes
        state.record(self._target.url, collection_id, Pushed(lost.landed, pending))
        return ImportAnswerLost(
            f"{lost}; they are recorded in the directory's state as this push's", lost.landed
        )

    def _predicted(
        self, result: PushResult, previous: Pushed, *, converging: bool, options: PushOptions
    ) -> PushResult:
        """A dry run: against a target that cannot prune, the deletes --prune would make."""
        if converging or not options.delivery.prune:
            return result
        deletes = tuple(replace(e, action=DELETED) for e in stale(previous, ()))
        delivery = replace(result.delivery, items=result.delivery.items + deletes)
        return replace(result, delivery=delivery)

    def _settled(
        self,
        result: PushResult,
        state: DeployState,
        previous: Pushed,
        *,
        converging: bool,
        options: PushOptions,
    ) -> PushResult:
        """The state recorded, the previous push's entities deleted when the client prunes,
        and the id map written."""
        delivery = result.delivery
        kept = delivery.kept()
        if not options.selector.whole:  # a part: the pushes before keep the rest
            kept = tuple({e.id: e for e in (*previous.entities, *kept)}.values())
        left = previous.pending_deletes
        if options.delivery.prune and not converging:
            left = stale(previous, kept)
        deleted: tuple[ImportAnswerItem, ...] = ()
        if left and options.delivery.prune:
            pushed = Pushed(kept, left)
            deleted = delete_stale(
                self._target, delivery.collection_id, state, pushed, self._progress
            )
        else:
            state.record(self._target.url, delivery.collection_id, Pushed(kept, left))
        result = replace(result, delivery=replace(delivery, items=delivery.items + deleted))
        state.write_id_map(result.id_map())
        return result


def _no_xml(_path: str) -> str:
    """A definition file's XML, when only the entity's outline is read."""
    return ""


def _label(manifest: Manifest | None) -> str | None:
    """The source label of a pulled directory: its source server and collection."""
    if manifest is None or manifest.source is None or manifest.collection is None:
        return None
    return source_label(manifest.source, manifest.collection)
