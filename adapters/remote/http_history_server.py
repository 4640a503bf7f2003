"""Another boardport's history over HTTP (PUBLIC_API.md §4 "History"), through HttpCalls: its
token, its timeout and its retries. Answers are read into the domain's own types, each checked
for the contract's shape; one that is not the API's is refused in one line."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, TypeVar
from urllib.parse import quote

import msgspec

from adapters.remote.answers import Answer
from adapters.remote.http_calls import Call, HttpCalls
from adapters.remote.http_optimize_server import changes_in
from application.ports.history_server import HistoryServer
from application.ports.optimize_server import ServerRefused
from domain.entity_changes import EntityChanges
from domain.history import ChangeCounts, ChangeSummary, EntityKey, RevisionEntry
from domain.import_plan import ImportedItem

T = TypeVar("T")
Action = Literal["created", "updated", "deleted"]


class _Counts(msgspec.Struct):
    created: int
    updated: int
    deleted: int


class _ListedChange(msgspec.Struct, rename="camel"):
    id: str
    kind: Literal["import", "delete", "revert"]
    at: datetime
    actor: str
    collection_id: str | None
    counts: _Counts


class _ListedRevision(msgspec.Struct, rename="camel"):
    revision: int
    change_id: str | None
    at: datetime
    actor: str | None
    action: Action


class _RevertedItem(msgspec.Struct, rename="camel"):
    id: str
    entity_type: Literal["report", "dashboard"]
    source_id: str
    action: Literal["created", "updated", "unchanged", "deleted"]


def new_revert_key() -> str:
    return f"boardport-revert-{uuid.uuid4().hex}"


class HttpHistoryServer(HistoryServer):
    """`new_key` makes a revert's Idempotency-Key: one for each revert, the same on each of its
    tries, so a revert whose answer was lost (a 503 from a gateway, a dropped connection) is
    sent again and answered from the first try instead of reverting twice."""

    def __init__(self, calls: HttpCalls, new_key: Callable[[], str] = new_revert_key) -> None:
        self._calls = calls
        self._new_key = new_key

    def changes(self, collection_id: str | None, limit: int) -> list[ChangeSummary]:
        params = {"limit": str(limit)}
        if collection_id is not None:
            params["collectionId"] = collection_id
        answer = self._calls.send(Call("GET", "/api/public/change", params=params))
        return [_summary(c) for c in self._decoded(answer, list[_ListedChange])]

    def revisions(self, key: EntityKey) -> list[RevisionEntry]:
        answer = self._calls.send(Call("GET", f"{_entity_path(key)}/revision"))
        return [
            RevisionEntry(r.revision, r.change_id, r.at, r.actor, r.action)
            for r in self._decoded(answer, list[_ListedRevision])
        ]

    def revision(self, key: EntityKey, number: int) -> bytes:
        answer = self._calls.send(Call("GET", f"{_entity_path(key)}/revision/{number}"))
        self._decoded(answer, dict[str, Any])
        return bytes(answer.body)

    def diff(self, key: EntityKey, number: int, to: int | None) -> EntityChanges:
        params = {} if to is None else {"to": str(to)}
        path = f"{_entity_path(key)}/revision/{number}/diff"
        answer = self._calls.send(Call("GET", path, params=params))
        changes = changes_in(self._decoded(answer, dict[str, Any]))
        if changes is None:
            raise self._not_the_contract(answer, "a diff without its changes")
        return changes

    def revert(self, change_id: str, *, dry_run: bool, force: bool) -> list[ImportedItem]:
        flags = {"dryRun": dry_run, "force": force}
        key = None if dry_run else self._new_key()  # a dry run writes nothing: sent again freely
        call = Call(
            "POST",
            f"/api/public/change/{quote(change_id, safe='')}/revert",
            params={name: "true" for name, on in flags.items() if on},
            headers={"Idempotency-Key": key} if key else {},
            idempotent=bool(key) or dry_run,
        )
        answer = self._calls.send(call)
        return [
            ImportedItem(i.id, i.entity_type, i.source_id, action=i.action)
            for i in self._decoded(answer, list[_RevertedItem])
        ]

    def _decoded(self, answer: Answer, shape: type[T]) -> T:
        try:
            return msgspec.json.decode(answer.body, type=shape)
        except msgspec.ValidationError as error:
            raise self._not_the_contract(answer, str(error)) from None
        except msgspec.DecodeError:
            raise self._not_the_contract(answer, "not JSON") from None

    def _not_the_contract(self, answer: Answer, problem: str) -> ServerRefused:
        return ServerRefused(
            answer.status_code,
            None,
            f"{answer.url} answered what the history API does not ({problem}): is the server "
            "a boardport that keeps history?",
            server=self._calls.server,
        )


def _entity_path(key: EntityKey) -> str:
    return f"/api/public/{key.entity_type}/{quote(key.id, safe='')}"


def _summary(change: _ListedChange) -> ChangeSummary:
    counts = ChangeCounts(change.counts.created, change.counts.updated, change.counts.deleted)
    return ChangeSummary(
        change.id, change.kind, change.at, change.actor, change.collection_id, counts
    )
