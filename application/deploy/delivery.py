"""Delivering an assembled export file to a target: converging against a boardport, created
anew against an Optimize, converted when the target runs another release. Shared by push and
migrate (PUBLIC_API.md §5, "Deploys converge")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from functools import partial

from application.deploy.errors import ImportAnswerLost
from application.deploy.landing_check import Listing, landed, listing
from application.deploy.release_conversion import converted, release_asked
from application.deploy.separate_preparation import prepare_separately
from application.outgoing_file import OutgoingFile
from application.ports.optimize_server import (
    AnswerLost,
    ImportAnswerItem,
    ImportBody,
    ImportRequest,
    OptimizeServer,
    ServerKind,
    ServerRefused,
    ServerUnreachable,
)
from application.ports.progress import Progress
from application.ports.release_converter import ReleaseConverter
from domain.definition import Definition

DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class DeliveryOptions:
    dry_run: bool = False
    new_copies: bool = False
    """Optimize's create-always import even against a boardport: no overwrite, no key, no
    retry once the body was sent."""
    overwrite: bool = False
    """Asked for by name. Converging is the default against a boardport; against an
    Optimize, which has no overwrite, the user is told."""
    prune: bool = False
    prepare: bool = True
    target_release: str | None = None
    allow_loss: bool = False


@dataclass(frozen=True, slots=True)
class Delivery:
    target: str
    collection_id: str
    target_kind: ServerKind
    converging: bool
    """Imported with overwrite, the source label and an idempotency key: a rerun updates."""
    dry_run: bool
    entities: int
    items: tuple[ImportAnswerItem, ...] = ()
    """The target's answer (in a dry run against an Optimize, what it would answer), then one
    item per entity deleted by the prune."""
    registered: tuple[Definition, ...] = ()
    converted_to: str | None = None
    losses: tuple[str, ...] = ()
    sent: bool = True
    """False when nothing was sent to the import endpoint (a dry run against an Optimize)."""
    notes: tuple[str, ...] = field(default=())

    def counts(self) -> dict[str, int]:
        counts = {"created": 0, "updated": 0, "unchanged": 0, DELETED: 0, "failed": 0}
        for item in self.items:
            action = item.action or "created"
            counts[action] = counts.get(action, 0) + 1
        return counts

    def kept(self) -> tuple[ImportAnswerItem, ...]:
        """The items of the entities the file put on the target: the deleted ones left out."""
        return tuple(i for i in self.items if i.action != DELETED and i.id)

    def id_map(self, source_ids: list[str], source_kinds: list[str]) -> dict[str, str]:
        """Source id to target id: from the answer's sourceId where the target gives it (a
        boardport), else by position, when the answer lists every entity of the file with the
        file's entity types in the file's order. Otherwise none: a wrong map is worse."""
        items = self.kept()
        mapped = {i.source_id: i.id for i in items if i.source_id is not None}
        in_file_order = len(items) == len(source_ids) == len(source_kinds) and all(
            item.entity_type == kind for item, kind in zip(items, source_kinds, strict=True)
        )
        if not mapped and in_file_order:
            mapped = {s: i.id for s, i in zip(source_ids, items, strict=True)}
        return mapped


def deliver(
    target: OptimizeServer,
    outgoing: OutgoingFile,
    collection_id: str,
    *,
    source: str | None,
    options: DeliveryOptions,
    converter: ReleaseConverter,
    progress: Progress,
) -> Delivery:
    """Imports the file into the collection, all or nothing as the target does it; `source`
    is the label of where it comes from.

    Against a boardport (unless `new_copies`) the import converges: overwrite, `source`, and
    an idempotency key made here for each body and sent on every try, so any fault is retried
    and a rerun updates. Its import prepares the target itself (`prepare`): the definitions
    the reports carry registered, the scope widened, in the dry run too. An Optimize creates
    anew; an import of it whose answer is lost is not sent again: the collection, listed
    before, is listed again, and ImportAnswerLost says whether it landed.
    Raises ServerRefused, ServerUnreachable, ConversionUnavailable or ImportAnswerLost."""
    run = _Delivering(target, outgoing, options, converter, progress, target.kind())
    outgoing.finish()
    request = run.request(collection_id, source)
    registered = run.prepared(collection_id)
    if registered is None:
        return run.result(request, (), sent=False)
    before = None if run.converging or options.dry_run else listing(target, request.collection_id)
    items, converted_to, losses = run.imported(request, before)
    return replace(
        run.result(request, tuple(items), sent=True),
        registered=registered,
        converted_to=converted_to,
        losses=losses,
    )


def _new_key() -> str:
    return f"boardport-{uuid.uuid4().hex}"


@dataclass(slots=True)
class _Delivering:
    """One delivery under way: what it was given, and the notes it said."""

    target: OptimizeServer
    outgoing: OutgoingFile
    options: DeliveryOptions
    converter: ReleaseConverter
    progress: Progress
    kind: ServerKind
    notes: list[str] = field(default_factory=list)

    @property
    def converging(self) -> bool:
        return self.kind.is_boardport and not self.options.new_copies

    def say(self, text: str) -> None:
        self.notes.append(text)
        self.progress.note(text)

    def result(
        self, request: ImportRequest, items: tuple[ImportAnswerItem, ...], *, sent: bool
    ) -> Delivery:
        if not sent and not self.kind.is_boardport:
            items = tuple(ImportAnswerItem("", kind) for kind in self.outgoing.source_kinds)
        return Delivery(
            self.target.url,
            request.collection_id,
            self.kind,
            self.converging,
            dry_run=self.options.dry_run,
            entities=len(self.outgoing),
            items=items,
            sent=sent,
            notes=tuple(self.notes),
        )

    def prepared(self, collection_id: str) -> tuple[Definition, ...] | None:
        """The definitions an earlier boardport was given by separate calls; None when
        nothing is to be sent (a dry run that cannot be checked)."""
        options, url, dry_run = self.options, self.target.url, self.options.dry_run
        if self.kind is ServerKind.EARLIER_BOARDPORT and options.prepare:
            registered = prepare_separately(
                self.target,
                collection_id,
                self.outgoing,
                dry_run=dry_run,
                progress=self.progress,
                say=self.say,
            )
            if dry_run and self.outgoing.definitions_needed:
                self.say("dry run: the import check is skipped, since it needs those definitions")
                return None
            return registered
        if not self.kind.is_boardport and options.overwrite:
            self.say(
                f"{url} is not a boardport: Optimize has no overwrite, so this import "
                "creates new entities beside any earlier ones"
            )
        if not self.kind.is_boardport and dry_run:
            self.say(f"{url} is not a boardport and has no dry run: nothing was sent")
            return None
        return ()

    def request(self, collection_id: str, source: str | None) -> ImportRequest:
        """The import asked for, with what the target's kind allows."""
        converging = self.converging
        return ImportRequest(
            collection_id,
            dry_run=self.options.dry_run,
            overwrite=converging,
            prune=converging and self.options.prune,
            prepare=self.kind is ServerKind.BOARDPORT and self.options.prepare,
            source=source if self.kind.is_boardport else None,
            idempotency_key=_new_key() if converging else None,
        )

    def imported(
        self, request: ImportRequest, before: Listing | None
    ) -> tuple[list[ImportAnswerItem], str | None, tuple[str, ...]]:
        """(the items the target answered, the release the file was converted to, what that
        lost): converted first when a release was asked for, else when the target refused
        the file's index versions and named its own (a new body: a new key)."""
        body: ImportBody = self.outgoing
        convert = partial(
            converted,
            self.outgoing,
            converter=self.converter,
            allow_loss=self.options.allow_loss,
            say=self.say,
        )
        release = self.options.target_release
        losses: tuple[str, ...] = ()
        if release is not None:
            body, losses = convert(release)
        self.progress.phase("import", len(self.outgoing))
        try:
            items = self._sent(body, request, before)
        except ServerRefused as refusal:
            asked = None if release else release_asked(refusal, self.converter)
            if asked is None:
                raise
            (body, losses), release = convert(asked), asked
            key = _new_key() if request.idempotency_key else None
            items = self._sent(body, replace(request, idempotency_key=key), before)
        self.progress.advance(len(items))
        return items, release, losses

    def _sent(
        self, body: ImportBody, request: ImportRequest, before: Listing | None
    ) -> list[ImportAnswerItem]:
        try:
            return self.target.import_file(body, request)
        except AnswerLost as lost:
            if before is None:
                raise
            raise self._lost(lost, request.collection_id, before) from None
        except (ServerUnreachable, ServerRefused) as error:
            gone = isinstance(error, ServerUnreachable) or error.status >= 500
            if request.idempotency_key is not None and gone:
                self.say(
                    "the import may have landed before its answer was lost; the same command "
                    "run again updates what it created, it does not copy it"
                )
            raise

    def _lost(self, lost: AnswerLost, collection_id: str, before: Listing) -> ImportAnswerLost:
        items = landed(self.target, collection_id, before, self.outgoing)
        url, where = self.target.url, f"collection {collection_id} of {self.target.url}"
        if items is not None:
            return ImportAnswerLost(
                f"the import into {where} landed, but its answer was lost ({lost}): "
                f"{len(items)} entities appeared that match the file",
                items,
            )
        return ImportAnswerLost(
            f"the import into {where} was sent and its answer lost ({lost}); whether it landed "
            "cannot be told: what appeared in the collection since does not match the file, "
            "or nothing did yet. Look before you push again: boardport list dashboards "
            f"--from {url} --collection {collection_id} (and list reports)"
        )
