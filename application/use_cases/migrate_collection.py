from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from application.deploy.delivery import Delivery, DeliveryOptions, deliver
from application.deploy.errors import PruneUnavailable
from application.deploy.selected_exports import batches, export_selected, stop_unmatched
from application.exports_ahead import take_each_export
from application.outgoing_file import OutgoingFile
from application.ports.optimize_server import EntityKind, OptimizeServer, ServerKind
from application.ports.progress import Progress, SilentProgress
from application.ports.release_converter import ReleaseConverter
from application.ports.spool import Spool
from application.use_cases.pull_collection import DEFAULT_BATCH
from domain.definition import Definition
from domain.json_document import JsonValue
from domain.selection import Selection, Selector
from domain.source_label import source_label


@dataclass(frozen=True, slots=True)
class MigrateResult:
    delivery: Delivery
    source_ids: tuple[str, ...]
    source_kinds: tuple[str, ...]
    source_names: tuple[str, ...] = ()

    def id_map(self) -> dict[str, str]:
        return self.delivery.id_map(list(self.source_ids), list(self.source_kinds))


def _take(outgoing: OutgoingFile, progress: Progress, batch: Sequence[JsonValue]) -> None:
    progress.advance(outgoing.add(batch))


def _known_definitions(target: OptimizeServer, options: DeliveryOptions) -> list[Definition] | None:
    """What the target is asked first: its kind; and, of an earlier boardport that is
    prepared by separate calls, the definitions it knows. Raises PruneUnavailable for a
    --prune the target cannot do: a migrate keeps no state of what it created."""
    kind = target.kind()
    if options.prune and (not kind.is_boardport or options.new_copies):
        raise PruneUnavailable(
            f"{target.url} cannot prune an import (it is an Optimize, or --new-copies was "
            "given), and a migrate keeps no record of what an earlier one created: pull into "
            "a directory and push it with --prune"
        )
    separately = kind is ServerKind.EARLIER_BOARDPORT and options.prepare
    return target.definitions() if separately else None


class MigrateCollection:
    """Copies a collection from one server to another without a directory: exports asked for
    in batches of ids, each batch appended to a spool (so about one batch is in memory; a
    small batch's successor is asked for while it is checked, see exports_ahead), then one
    import, all or nothing as the target does it (see `deliver`), labelled with the source
    server and collection. An unknown source collection is a 404, not an empty import. With a
    selector, only that part of the collection is exported and imported; a selector that
    matches nothing stops the migrate before the import."""

    def __init__(
        self,
        source: OptimizeServer,
        target: OptimizeServer,
        spool: Spool,
        *,
        converter: ReleaseConverter,
        progress: Progress | None = None,
        batch_size: int = DEFAULT_BATCH,
    ) -> None:
        self._source = source
        self._target = target
        self._spool = spool
        self._converter = converter
        self._progress = progress or SilentProgress()
        self._batch = batch_size

    def __call__(
        self,
        source_collection: str,
        target_collection: str,
        options: DeliveryOptions = DeliveryOptions(),  # noqa: B008 - an immutable value
        selector: Selector | None = None,
    ) -> MigrateResult:
        try:
            return self._migrate(source_collection, target_collection, options, selector)
        finally:
            self._spool.close()

    def _migrate(
        self,
        source_collection: str,
        target_collection: str,
        options: DeliveryOptions,
        selector: Selector | None,
    ) -> MigrateResult:
        source, progress = self._source, self._progress
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="target-ahead") as worker:
            # The target is asked what it knows while the source lists its collection.
            asked = worker.submit(_known_definitions, self._target, options)
            try:
                progress.phase("list", 2)
                dashboard_ids = source.list_ids(EntityKind.DASHBOARD, source_collection)
                progress.advance()
                report_ids = source.list_ids(EntityKind.REPORT, source_collection)
                progress.advance()
                if not dashboard_ids and not report_ids:
                    source.check_collection(source_collection)
            finally:
                known = asked.result()  # the target's error first, as when it was asked first
        outgoing = OutgoingFile(self._spool, known)
        where = f"collection {source_collection} of {source.url}"
        self._export((dashboard_ids, report_ids), outgoing, selector, where)
        delivery = deliver(
            self._target,
            outgoing,
            target_collection,
            source=source_label(source.url, source_collection),
            options=options,
            converter=self._converter,
            progress=progress,
        )
        return MigrateResult(
            delivery,
            tuple(outgoing.source_ids),
            tuple(outgoing.source_kinds),
            tuple(outgoing.source_names),
        )

    def _export(
        self,
        listed: tuple[list[str], list[str]],
        outgoing: OutgoingFile,
        selector: Selector | None,
        where: str,
    ) -> None:
        """The collection's entities (a selector's part of them) onto the outgoing file."""
        source, progress = self._source, self._progress
        dashboard_ids, report_ids = listed
        take = partial(_take, outgoing, progress)
        if selector is None or selector.whole:
            progress.phase("export", len(dashboard_ids) + len(report_ids))
            dashboards = batches(dashboard_ids, self._batch)
            take_each_export(source.export, EntityKind.DASHBOARD, dashboards, take)
            remaining = [i for i in report_ids if i not in outgoing]
            reports = batches(remaining, self._batch)
            take_each_export(source.export, EntityKind.REPORT, reports, take)
            return
        selection = Selection(selector, dashboard_ids, report_ids)
        stop_unmatched(selection.absent(), where)
        progress.phase("export")
        export_selected(source.export, selection, listed, self._batch, take)
        stop_unmatched(selection.unmatched(), where)
