"""In-memory implementations of the ports, for use-case tests: assert on state, not on calls."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Collection as Sized
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self, TypeVar

from application.ports.clock import Clock
from application.ports.collection_repository import CollectionRepository
from application.ports.dashboard_repository import DashboardRepository
from application.ports.definition_repository import DefinitionRepository
from application.ports.history import HistoryRepository, NewChange
from application.ports.id_generator import IdGenerator
from application.ports.idempotency_repository import IdempotencyRepository
from application.ports.json_codec import JsonCodec
from application.ports.report_repository import ReportRepository
from application.ports.setting_repository import SettingRepository
from application.ports.spool import Spool
from application.ports.unit_of_work import WritingUnitOfWork
from application.ports.worker_threads import WorkerThreads
from domain.collection import Collection
from domain.dashboard import Dashboard
from domain.definition import Definition, DefinitionType
from domain.entity_type import EntityType
from domain.errors import IdempotencyKeyInProgress
from domain.export_format.writer import standard_decode, standard_encode
from domain.history import (
    ChangeEntry,
    ChangeSummary,
    EntityKey,
    NewRevision,
    RevisionEntry,
    RevisionHead,
    StoredRevision,
    counts_of,
)
from domain.idempotency import KeptAnswer, KeyedRequest
from domain.json_document import JsonValue
from domain.overwrite import StoredOrigin
from domain.report import Report, ReportOutline

T = TypeVar("T")


class StorageFailure(Exception):
    """What a fake raises when told to fail: a stand-in for a database error."""


class WriteBudget:
    """Counts single-entity writes and fails the k-th one, to prove nothing half-written stays.
    Every write attempted is recorded in `attempts`, rolled back or not, failed or not."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.fail_at = fail_at
        self.writes = 0
        self.attempts: list[str] = []

    def spend(self, write: str = "a write") -> None:
        self.attempts.append(write)
        self.writes += 1
        if self.fail_at is not None and self.writes == self.fail_at:
            raise StorageFailure(f"injected failure at write {self.writes}")


Origin = tuple[str, str]
"""(source label, source ID) of an imported entity."""


class FakeReportRepository(ReportRepository):
    def __init__(self, reports: Iterable[Report] = (), budget: WriteBudget | None = None) -> None:
        self.stored: dict[str, Report] = {r.id: r for r in reports}
        self.sources: dict[str, Origin] = {}
        self.lookups = 0
        self._budget = budget or WriteBudget()

    def get_many(self, ids: frozenset[str]) -> Mapping[str, Report]:
        self.lookups += 1
        return {i: self.stored[i] for i in ids if i in self.stored}

    def outlines(self, ids: frozenset[str]) -> Mapping[str, ReportOutline]:
        self.lookups += 1
        return {
            i: ReportOutline(i, r.entity_type, r.child_ids)
            for i, r in self.stored.items()
            if i in ids
        }

    def stream_in_order(self, outlines: Sequence[ReportOutline]) -> Iterator[Report]:
        return (self.stored[o.id] for o in outlines if o.id in self.stored)

    def ids_in_collection(self, collection_id: str | None) -> list[str]:
        return [i for i, r in self.stored.items() if r.collection_id == collection_id]

    def add_all(
        self, reports: Iterable[Report], sources: Mapping[str, str] | None = None, label: str = ""
    ) -> None:
        for report in reports:
            self._budget.spend(f"add report {report.id}")
            if report.id in self.stored:
                raise StorageFailure(f"report {report.id} is stored already")
            self.stored[report.id] = report
            _remember_origin(self.sources, self.stored, report, sources, label)

    def release_origins(self, collection_id: str, label: str, source_ids: Sized[str]) -> None:
        _release(self.sources, self.stored, collection_id, label, source_ids)

    def origins_in_collection(
        self, collection_id: str, label: str, ids: frozenset[str]
    ) -> list[StoredOrigin]:
        return _origins(self.stored, self.sources, collection_id, label, ids)

    def sourced_from(self, collection_id: str, label: str) -> list[StoredOrigin]:
        return _sourced(self.stored, self.sources, collection_id, label)

    def lock(self, report_ids: Sized[str]) -> Mapping[str, Report]:
        return {i: self.stored[i] for i in sorted(report_ids) if i in self.stored}

    def combining(self, report_id: str) -> list[Report]:
        return self.combined_containing([report_id])

    def combined_containing(self, report_ids: Sized[str]) -> list[Report]:
        return sorted(
            (r for r in self.stored.values() if set(report_ids) & set(r.child_ids)),
            key=lambda r: r.id,
        )

    def replace(self, report: Report) -> None:
        self._budget.spend(f"replace report {report.id}")
        self.stored[report.id] = report

    def update_all(self, reports: Sequence[Report]) -> None:
        for report in reports:
            self.replace(report)

    def remove(self, report_ids: Sized[str]) -> None:
        for report_id in sorted(report_ids):
            self._budget.spend(f"remove report {report_id}")
            del self.stored[report_id]
            self.sources.pop(report_id, None)


class FakeDashboardRepository(DashboardRepository):
    def __init__(
        self, dashboards: Iterable[Dashboard] = (), budget: WriteBudget | None = None
    ) -> None:
        self.stored: dict[str, Dashboard] = {d.id: d for d in dashboards}
        self.sources: dict[str, Origin] = {}
        self._budget = budget or WriteBudget()

    def get_many(self, ids: frozenset[str]) -> Mapping[str, Dashboard]:
        return {i: self.stored[i] for i in ids if i in self.stored}

    def ids_in_collection(self, collection_id: str | None) -> list[str]:
        return [i for i, d in self.stored.items() if d.collection_id == collection_id]

    def add_all(
        self,
        dashboards: Iterable[Dashboard],
        sources: Mapping[str, str] | None = None,
        label: str = "",
    ) -> None:
        for dashboard in dashboards:
            self._budget.spend(f"add dashboard {dashboard.id}")
            if dashboard.id in self.stored:
                raise StorageFailure(f"dashboard {dashboard.id} is stored already")
            self.stored[dashboard.id] = dashboard
            _remember_origin(self.sources, self.stored, dashboard, sources, label)

    def release_origins(self, collection_id: str, label: str, source_ids: Sized[str]) -> None:
        _release(self.sources, self.stored, collection_id, label, source_ids)

    def origins_in_collection(
        self, collection_id: str, label: str, ids: frozenset[str]
    ) -> list[StoredOrigin]:
        return _origins(self.stored, self.sources, collection_id, label, ids)

    def sourced_from(self, collection_id: str, label: str) -> list[StoredOrigin]:
        return _sourced(self.stored, self.sources, collection_id, label)

    def update_all(self, dashboards: Sequence[Dashboard]) -> None:
        for dashboard in dashboards:
            self._budget.spend()
            self.stored[dashboard.id] = dashboard

    def showing_report(self, report_id: str) -> list[Dashboard]:
        return self.containing_reports([report_id])

    def containing_reports(self, report_ids: Sized[str]) -> list[Dashboard]:
        return sorted(
            (d for d in self.stored.values() if set(report_ids) & set(d.report_ids())),
            key=lambda d: d.id,
        )

    def remove_tiles_showing(self, report_ids: Sized[str]) -> None:
        for dashboard in self.containing_reports(report_ids):
            self._budget.spend(f"remove reports {sorted(report_ids)} from {dashboard.id}")
            kept = tuple(t for t in dashboard.tiles if t.report_id not in report_ids)
            self.stored[dashboard.id] = replace(dashboard, tiles=kept)

    def remove(self, dashboard_ids: Sized[str]) -> int:
        removed = 0
        for dashboard_id in sorted(dashboard_ids):
            self._budget.spend(f"remove dashboard {dashboard_id}")
            removed += self.stored.pop(dashboard_id, None) is not None
            self.sources.pop(dashboard_id, None)
        return removed


Stored = Mapping[str, Report] | Mapping[str, Dashboard]


def _remember_origin(
    sources: dict[str, Origin],
    stored: Stored,
    entity: Report | Dashboard,
    given: Mapping[str, str] | None,
    label: str,
) -> None:
    """Keeps an entity's origin, refusing a second one in its collection as the unique index on
    (collection, source label, source ID) does."""
    source = (given or {}).get(entity.id)
    if source is None:
        return
    for other, origin in sources.items():
        holder = stored.get(other)
        if (
            origin == (label, source)
            and holder is not None
            and holder.collection_id == entity.collection_id
        ):
            raise StorageFailure(f"origin {label}:{source} is taken in {entity.collection_id}")
    sources[entity.id] = (label, source)


def _release(
    sources: dict[str, Origin],
    stored: Stored,
    collection_id: str,
    label: str,
    source_ids: Sized[str],
) -> None:
    for entity_id, (held_label, source) in list(sources.items()):
        holder = stored.get(entity_id)
        mine = holder is not None and holder.collection_id == collection_id
        if mine and held_label == label and source in source_ids:
            del sources[entity_id]


def _type_of(entity: Report | Dashboard) -> EntityType:
    return entity.entity_type if isinstance(entity, Report) else EntityType.DASHBOARD


def _origins(
    stored: Stored,
    sources: Mapping[str, Origin],
    collection_id: str,
    label: str,
    ids: frozenset[str],
) -> list[StoredOrigin]:
    found = []
    for entity in stored.values():
        held = sources.get(entity.id)
        origin = held[1] if held is not None and held[0] == label else None
        if entity.collection_id == collection_id and (entity.id in ids or origin in ids):
            found.append(StoredOrigin(entity.id, _type_of(entity), origin))
    return found


def _sourced(
    stored: Stored, sources: Mapping[str, Origin], collection_id: str, label: str
) -> list[StoredOrigin]:
    return [
        StoredOrigin(entity.id, _type_of(entity), sources[entity.id][1])
        for entity in stored.values()
        if entity.collection_id == collection_id
        and sources.get(entity.id, ("", ""))[0] == label
        and entity.id in sources
    ]


class FakeCollectionRepository(CollectionRepository):
    def __init__(self, collections: Iterable[Collection] = ()) -> None:
        self.stored: dict[str, Collection] = {c.id: c for c in collections}

    def get(self, collection_id: str) -> Collection | None:
        return self.stored.get(collection_id)

    def lock(self, collection_id: str) -> Collection | None:
        return self.stored.get(collection_id)

    def list_all(self) -> list[Collection]:
        return list(self.stored.values())

    def add(self, collection: Collection) -> None:
        self.stored[collection.id] = collection

    def save_scope(self, collection: Collection) -> None:
        self.stored[collection.id] = collection


class FakeDefinitionRepository(DefinitionRepository):
    def __init__(self, definitions: Iterable[Definition] = ()) -> None:
        self.stored: dict[tuple[DefinitionType, str, str, str | None], Definition] = {
            _identity(d): d for d in definitions
        }

    def of_keys(self, keys: Sized[tuple[DefinitionType, str]]) -> list[Definition]:
        return [d for d in self.stored.values() if (d.type, d.key) in keys]

    def list_all(self) -> list[Definition]:
        return list(self.stored.values())

    def lock_key(self, definition_type: DefinitionType, key: str) -> None:
        pass  # one thread, one unit of work at a time

    def save(self, definition: Definition) -> None:
        self.stored[_identity(definition)] = definition


def _identity(d: Definition) -> tuple[DefinitionType, str, str, str | None]:
    return (d.type, d.key, d.version, d.tenant_id)


class FakeIdempotencyRepository(IdempotencyRepository):
    def __init__(self) -> None:
        self.kept_answers: dict[tuple[str, str], tuple[KeptAnswer, datetime]] = {}
        self.claimed_elsewhere: set[tuple[str, str]] = set()
        """Keys another (imagined) running transaction holds."""

    def kept(self, request: KeyedRequest, now: datetime) -> KeptAnswer | None:
        found = self.kept_answers.get((request.caller, request.key))
        if found is None or found[1] <= now:
            return None
        return found[0]

    def claim(self, request: KeyedRequest) -> None:
        if (request.caller, request.key) in self.claimed_elsewhere:
            raise IdempotencyKeyInProgress("held by another transaction")

    def keep(self, request: KeyedRequest, answer: bytes, expires: datetime, now: datetime) -> None:
        self.kept_answers = {k: v for k, v in self.kept_answers.items() if v[1] > now}
        self.kept_answers[(request.caller, request.key)] = (
            KeptAnswer(request.fingerprint, answer),
            expires,
        )


class FakeHistoryRepository(HistoryRepository):
    """Changes and revisions in lists, content kept as the domain objects themselves."""

    def __init__(self) -> None:
        self.changes_made: list[tuple[ChangeSummary, str | None]] = []
        """Each change, and the change it reverted."""
        self.kept: dict[tuple[EntityKey, int], tuple[NewRevision, str | None]] = {}
        """Each revision, and the change that made it (None: a baseline)."""

    def changes(
        self, collection_id: str | None, limit: int, before: str | None = None
    ) -> list[ChangeSummary]:
        newest = [c for c, _ in reversed(self.changes_made)]
        if collection_id is not None:
            newest = [c for c in newest if c.collection_id == collection_id]
        if before is not None:
            newest = [c for c in newest if int(c.id) < int(before)]
        return newest[:limit]

    def change(self, change_id: str) -> ChangeSummary | None:
        return next((c for c, _ in self.changes_made if c.id == change_id), None)

    def entries(self, change_id: str) -> list[ChangeEntry]:
        made = [
            (key, revision)
            for (key, _), (revision, change) in self.kept.items()
            if change == change_id
        ]
        made.sort(key=lambda pair: (pair[0].entity_type != "report", pair[0].id))
        return [
            ChangeEntry(
                key,
                r.entity.name,
                r.action,
                None if r.action == "created" else r.number - 1,
                r.number,
            )
            for key, r in made
        ]

    def revisions(self, key: EntityKey) -> list[RevisionEntry]:
        at = {c.id: c for c, _ in self.changes_made}
        found = sorted(
            ((n, r, change) for (k, n), (r, change) in self.kept.items() if k == key),
            reverse=True,
            key=lambda item: item[0],
        )
        first = min((at[c].at for _, _, c in found if c is not None), default=None)
        return [
            RevisionEntry(
                n,
                change,
                at[change].at if change is not None else (first or datetime.now(UTC)),
                at[change].actor if change is not None else None,
                r.action,
            )
            for n, r, change in found
        ]

    def revision(self, key: EntityKey, number: int) -> StoredRevision | None:
        return self.revisions_of([(key, number)]).get((key, number))

    def revisions_of(
        self, wanted: Sized[tuple[EntityKey, int]]
    ) -> Mapping[tuple[EntityKey, int], StoredRevision]:
        return {
            w: StoredRevision(r.entity, r.action == "deleted", r.origin)
            for w in wanted
            if (found := self.kept.get(w)) is not None
            for r in [found[0]]
        }

    def heads(self, keys: Sized[EntityKey]) -> Mapping[EntityKey, RevisionHead]:
        heads: dict[EntityKey, RevisionHead] = {}
        for (key, number), (revision, change) in self.kept.items():
            if key in keys and (key not in heads or heads[key].number < number):
                heads[key] = RevisionHead(
                    number, change, revision.action == "deleted", revision.origin
                )
        return heads

    def latest_change_at(self, keys: Sized[EntityKey]) -> Mapping[EntityKey, datetime]:
        at = {c.id: c.at for c, _ in self.changes_made}
        latest: dict[EntityKey, datetime] = {}
        for (key, _), (_, change) in self.kept.items():
            if key in keys and change is not None:
                latest[key] = max(latest.get(key, at[change]), at[change])
        return latest

    def record(self, change: NewChange) -> str:
        change_id = str(len(self.changes_made) + 1)
        summary = ChangeSummary(
            change_id,
            change.kind,
            change.at,
            change.actor,
            change.collection_id,
            counts_of(change.revisions),
        )
        self.changes_made.append((summary, change.reverts))
        for r in change.revisions:
            self.kept[(r.key, r.number)] = (r, None if r.baseline else change_id)
        return change_id

    def forget_before(self, cutoff: datetime) -> int:
        heads = self.heads({k for k, _ in self.kept})
        current = {(k, h.number) for k, h in heads.items()}
        old = {c.id for c, _ in self.changes_made if c.at < cutoff}
        self.kept = {
            w: v
            for w, v in self.kept.items()
            if w in current or (v[1] is not None and v[1] not in old)
        }
        named = {change for _, change in self.kept.values()}
        before = len(self.changes_made)
        self.changes_made = [
            (c, r) for c, r in self.changes_made if c.id not in old or c.id in named
        ]
        return before - len(self.changes_made)


class FakeSettingRepository(SettingRepository):
    def __init__(self) -> None:
        self.flags: dict[str, bool] = {}

    def set_flag(self, name: str, value: bool) -> None:
        self.flags[name] = value


_Snapshot = tuple[
    dict[str, Report],
    dict[str, Dashboard],
    dict[str, Origin],
    dict[str, Origin],
    dict[str, Collection],
    dict[tuple[DefinitionType, str, str, str | None], Definition],
    dict[str, bool],
    dict[tuple[str, str], tuple[KeptAnswer, datetime]],
    list[tuple[ChangeSummary, str | None]],
    dict[tuple[EntityKey, int], tuple[NewRevision, str | None]],
]
"""What FakeUnitOfWork.rollback goes back to: each repository's dictionaries, copied."""


class FakeUnitOfWork(WritingUnitOfWork):
    """Repositories over dictionaries. Work done inside `with` is kept only if `commit()` ran:
    on exit without commit, the repositories go back to what they held on entry. It serves as
    a reading unit of work too (a writing one can do all a reading one does)."""

    def __init__(
        self,
        *,
        reports: Iterable[Report] = (),
        dashboards: Iterable[Dashboard] = (),
        collections: Iterable[Collection] = (),
        definitions: Iterable[Definition] = (),
        budget: WriteBudget | None = None,
    ) -> None:
        self.budget = budget or WriteBudget()
        self._reports = FakeReportRepository(reports, self.budget)
        self._dashboards = FakeDashboardRepository(dashboards, self.budget)
        self._collections = FakeCollectionRepository(collections)
        self._definitions = FakeDefinitionRepository(definitions)
        self._settings = FakeSettingRepository()
        self._idempotency = FakeIdempotencyRepository()
        self._history = FakeHistoryRepository()
        self.committed = False
        self.commits = 0
        self._snapshot = self._state()

    @property
    def reports(self) -> FakeReportRepository:
        return self._reports

    @property
    def dashboards(self) -> FakeDashboardRepository:
        return self._dashboards

    @property
    def collections(self) -> FakeCollectionRepository:
        return self._collections

    @property
    def definitions(self) -> FakeDefinitionRepository:
        return self._definitions

    @property
    def settings(self) -> FakeSettingRepository:
        return self._settings

    @property
    def idempotency(self) -> FakeIdempotencyRepository:
        return self._idempotency

    @property
    def history(self) -> FakeHistoryRepository:
        return self._history

    def _state(self) -> _Snapshot:
        return (
            dict(self.reports.stored),
            dict(self.dashboards.stored),
            dict(self.reports.sources),
            dict(self.dashboards.sources),
            dict(self.collections.stored),
            dict(self.definitions.stored),
            dict(self.settings.flags),
            dict(self.idempotency.kept_answers),
            list(self.history.changes_made),
            dict(self.history.kept),
        )

    def __enter__(self) -> Self:
        self.committed = False
        self._snapshot = self._state()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self.committed:
            self.rollback()

    def commit(self) -> None:
        self.committed = True
        self.commits += 1
        self._snapshot = self._state()

    def rollback(self) -> None:
        (
            reports,
            dashboards,
            report_sources,
            dashboard_sources,
            collections,
            definitions,
            flags,
            kept,
            changes_made,
            revisions,
        ) = self._snapshot
        self.reports.stored = dict(reports)
        self.dashboards.stored = dict(dashboards)
        self.reports.sources = dict(report_sources)
        self.dashboards.sources = dict(dashboard_sources)
        self.collections.stored = dict(collections)
        self.definitions.stored = dict(definitions)
        self.settings.flags = dict(flags)
        self.idempotency.kept_answers = dict(kept)
        self.history.changes_made = list(changes_made)
        self.history.kept = dict(revisions)


class SequentialIds(IdGenerator):
    """IDs id-1, id-2, ... so tests can name what an import will create."""

    def __init__(self, prefix: str = "id") -> None:
        self._counter = itertools.count(1)
        self._prefix = prefix

    def new_id(self) -> str:
        return f"{self._prefix}-{next(self._counter)}"


class FixedClock(Clock):
    def __init__(self, start: datetime = datetime(2026, 1, 1, tzinfo=UTC)) -> None:
        self._now = start

    def now(self) -> datetime:
        self._now += timedelta(seconds=1)
        return self._now


class InlineThreads(WorkerThreads):
    """Does the "blocking" work right where it is asked, on the event loop: use-case tests have
    nothing else for the loop to do."""

    async def run(self, work: Callable[[], T]) -> T:
        return work()

    async def run_to_the_end(self, work: Callable[[], T]) -> T:
        return work()


class StandardCodec(JsonCodec):
    def encode(self, value: object) -> bytes:
        return standard_encode(value)

    def decode(self, utf8: bytes) -> JsonValue:
        return standard_decode(utf8)


class MemorySpool(Spool):
    def __init__(self) -> None:
        self._pieces: list[bytes] = []
        self.closed = False

    def write(self, data: bytes | memoryview) -> None:
        self._pieces.append(bytes(data))

    def chunks(self) -> Iterator[bytes]:
        yield b"".join(self._pieces)

    def close(self) -> None:
        self.closed = True
        self._pieces.clear()
