"""Delivering an assembled export file to a target: prepared, checked, converted when the
target runs another release, imported. Shared by push and migrate."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from application.outgoing_file import OutgoingFile
from application.ports.optimize_server import (
    ImportBody,
    ImportAnswerItem,
    OptimizeServer,
    ServerRefused,
)
from application.ports.progress import Progress
from application.ports.release_converter import ConversionUnavailable, ReleaseConverter
from domain.definition import Definition
from domain.json_document import JsonValue

INDEX_MISMATCH = "importIndexVersionMismatch"


class ConversionLoses(ConversionUnavailable):
    """The target's release cannot hold everything, and losing it was not allowed."""


@dataclass(frozen=True, slots=True)
class DeliveryOptions:
    dry_run: bool = False
    overwrite: bool = False
    prepare: bool = True
    target_release: str | None = None
    allow_loss: bool = False


@dataclass(frozen=True, slots=True)
class Delivery:
    target: str
    collection_id: str
    target_is_boardport: bool
    dry_run: bool
    entities: int
    items: tuple[ImportAnswerItem, ...] = ()
    registered: tuple[Definition, ...] = ()
    converted_to: str | None = None
    losses: tuple[str, ...] = ()
    sent: bool = True
    """False when nothing was sent to the import endpoint (a dry run Optimize cannot do)."""
    notes: tuple[str, ...] = field(default=())

    def counts(self) -> dict[str, int]:
        counts = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}
        for item in self.items:
            action = item.action or "created"
            counts[action] = counts.get(action, 0) + 1
        return counts

    def id_map(self, source_ids: Sequence[str], source_kinds: Sequence[str]) -> dict[str, str]:
        """Source id to target id: from the answer's sourceId where the target gives it (a
        boardport), else by position, when the answer lists every entity of the file with the
        file's entity types in the file's order. Otherwise none: a wrong map is worse."""
        mapped = {i.source_id: i.id for i in self.items if i.source_id is not None}
        in_file_order = len(self.items) == len(source_ids) == len(source_kinds) and all(
            item.entity_type == kind for item, kind in zip(self.items, source_kinds, strict=True)
        )
        if not mapped and in_file_order:
            mapped = {s: i.id for s, i in zip(source_ids, self.items, strict=True)}
        return mapped


@dataclass(frozen=True, slots=True)
class _Bytes:
    data: bytes

    def chunks(self) -> Iterator[bytes]:
        yield self.data


def deliver(
    target: OptimizeServer,
    collection_id: str,
    outgoing: OutgoingFile,
    *,
    options: DeliveryOptions,
    converter: ReleaseConverter,
    progress: Progress,
) -> Delivery:
    """Imports the file into the collection, all or nothing as the target does it.

    A boardport target is prepared first unless `options.prepare` is off: the definitions the
    file needs are registered with their XML and the collection's scope widened. An Optimize
    target learns definitions from its engine and has no way to list them through the public
    API; its import checks every report's definitions before it writes anything, so the
    import itself is the check, and a refusal names the missing definitions.
    Raises ServerRefused, ServerUnreachable or ConversionUnavailable."""
    run = _Delivering(target, collection_id, outgoing, options, converter, progress)
    run.boardport = target.is_boardport()
    outgoing.finish()
    registered = run.prepared()
    if registered is None:
        return run.unsent()
    items, converted_to, losses = run.imported()
    return Delivery(
        target.url,
        collection_id,
        run.boardport,
        dry_run=options.dry_run,
        entities=len(outgoing),
        items=tuple(items),
        registered=registered,
        converted_to=converted_to,
        losses=losses,
        notes=tuple(run.notes),
    )


@dataclass(slots=True)
class _Delivering:
    """One delivery under way: what it was given, and the notes it said."""

    target: OptimizeServer
    collection_id: str
    outgoing: OutgoingFile
    options: DeliveryOptions
    converter: ReleaseConverter
    progress: Progress
    boardport: bool = False
    notes: list[str] = field(default_factory=list)

    def say(self, text: str) -> None:
        self.notes.append(text)
        self.progress.note(text)

    def unsent(self) -> Delivery:
        """The delivery of a dry run that sent nothing to the import endpoint."""
        return Delivery(
            self.target.url,
            self.collection_id,
            self.boardport,
            dry_run=True,
            entities=len(self.outgoing),
            sent=False,
            notes=tuple(self.notes),
        )

    def prepared(self) -> tuple[Definition, ...] | None:
        """The definitions registered on a boardport target; None when nothing is to be sent
        (a dry run that cannot be checked)."""
        options, url = self.options, self.target.url
        registered: tuple[Definition, ...] = ()
        if self.boardport and options.prepare:
            registered = _prepare(
                self.target,
                self.collection_id,
                self.outgoing,
                options=options,
                progress=self.progress,
                say=self.say,
            )
            if options.dry_run and self.outgoing.definitions_needed:
                self.say("dry run: the import check is skipped, since it needs those definitions")
                return None
        if not self.boardport and options.overwrite:
            self.say(
                f"{url} is not a boardport: Optimize has no overwrite, so this import "
                "creates new entities beside any earlier ones"
            )
        if not self.boardport and options.dry_run:
            self.say(f"{url} is not a boardport and has no dry run: nothing was sent")
            return None
        return registered

    def imported(self) -> tuple[list[ImportAnswerItem], str | None, tuple[str, ...]]:
        """(the items the target answered, the release the file was converted to, what that
        lost): converted first when a release was asked for, else when the target refused
        the file's index versions and named its own."""
        body: ImportBody = self.outgoing
        converted_to: str | None = self.options.target_release
        losses: tuple[str, ...] = ()
        if converted_to is not None:
            body, losses = self._converted(converted_to)
        self.progress.phase("import", len(self.outgoing))
        try:
            items = self._send(body)
        except ServerRefused as refusal:
            release = None if converted_to else _release_asked(refusal, self.converter)
            if release is None:
                raise
            body, losses = self._converted(release)
            converted_to = release
            items = self._send(body)
        self.progress.advance(len(items))
        return items, converted_to, losses

    def _converted(self, release: str) -> tuple[ImportBody, tuple[str, ...]]:
        return _converted(self.outgoing, release, self.converter, self.options, self.say)

    def _send(self, file: ImportBody) -> list[ImportAnswerItem]:
        return self.target.import_file(
            self.collection_id,
            file,
            dry_run=self.options.dry_run and self.boardport,
            overwrite=self.options.overwrite and self.boardport,
        )


def _prepare(
    target: OptimizeServer,
    collection_id: str,
    outgoing: OutgoingFile,
    *,
    options: DeliveryOptions,
    progress: Progress,
    say: Callable[[str], None],
) -> tuple[Definition, ...]:
    needed = outgoing.definitions_needed
    if options.dry_run:
        if needed:
            say(f"dry run: {len(needed)} definition version(s) would be registered first")
        return ()
    progress.phase("prepare", len(needed))
    for definition in needed:
        target.register_definition(definition)
        progress.advance()
    if outgoing.scope_needed:
        target.widen_scope(collection_id, outgoing.scope_needed)
    return tuple(needed)


def _release_asked(refusal: ServerRefused, converter: ReleaseConverter) -> str | None:
    """The release a target runs, when it refused the file's index versions and the converter
    knows the versions it named."""
    if refusal.error_code != INDEX_MISMATCH:
        return None
    indices = refusal.extra.get("mismatchingIndices")
    return converter.release_of(indices if isinstance(indices, list) else [])


def _converted(
    outgoing: OutgoingFile,
    release: str,
    converter: ReleaseConverter,
    options: DeliveryOptions,
    say: Callable[[str], None],
) -> tuple[ImportBody, tuple[str, ...]]:
    conversion = converter.convert(outgoing.entities(), release)
    if conversion.losses and not options.allow_loss:
        raise ConversionLoses(
            f"Writing the file for release {release} would lose: "
            + "; ".join(conversion.losses)
            + " (--allow-loss accepts that)"
        )
    say(
        f"converted {len(conversion.entities)} entities to the format of release {release}"
        + (f", losing: {'; '.join(conversion.losses)}" if conversion.losses else "")
    )
    payload: list[JsonValue] = conversion.entities
    return _Bytes(json.dumps(payload, ensure_ascii=False).encode()), conversion.losses
