"""The Optimize public API over HTTP: a real Optimize or another boardport."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import msgspec

from adapters.remote.answers import Answer, not_an_api
from adapters.remote.http_calls import Call, HttpCalls
from adapters.remote.server_kind import probe_kind
from application.ports.optimize_server import (
    EntityKind,
    ExportedBatch,
    ImportAnswerItem,
    ImportBody,
    ImportRequest,
    OptimizeServer,
    ServerKind,
    ServerRefused,
)
from domain.collection import ScopeEntry
from domain.definition import Definition, DefinitionType
from domain.entity_changes import ABSENT, Change, EntityChanges
from domain.json_document import JsonValue

_ITEM: msgspec.json.Decoder[Any] = msgspec.json.Decoder()
_RAW_ITEMS = msgspec.json.Decoder(list[msgspec.Raw])


class HttpOptimizeServer(OptimizeServer):
    """The port's calls as requests (see HttpCalls for the headers, retries and errors)."""

    def __init__(self, calls: HttpCalls) -> None:
        self._calls = calls
        self._kind: ServerKind | None = None

    @property
    def url(self) -> str:
        return self._calls.url

    def kind(self) -> ServerKind:
        if self._kind is None:
            self._kind = probe_kind(self._calls)
        return self._kind

    def check_collection(self, collection_id: str) -> None:
        self._calls.send(Call("GET", f"/api/public/collection/{quote(collection_id, safe='')}"))

    def list_ids(self, kind: EntityKind, collection_id: str) -> list[str]:
        answer = self._calls.send(
            Call("GET", f"/api/public/{kind.value}", params={"collectionId": collection_id})
        )
        return [str(item["id"]) for item in self._json_list(answer)]

    def export(self, kind: EntityKind, ids: Sequence[str]) -> ExportedBatch:
        """Each entity's text is a view of the answer's buffer (msgspec.Raw): sent on, no copy."""
        answer = self._calls.send(
            Call("POST", f"/api/public/export/{kind.value}/definition/json", json_body=list(ids))
        )
        texts = [memoryview(raw) for raw in self._json_list(answer, _RAW_ITEMS)]
        return ExportedBatch(texts, _ITEM.decode)

    def import_file(self, body: ImportBody, request: ImportRequest) -> list[ImportAnswerItem]:
        params = {"collectionId": request.collection_id}
        flags = {
            "dryRun": request.dry_run,
            "overwrite": request.overwrite,
            "prune": request.prune,
            "prepare": request.prepare,
        }
        params |= {name: "true" for name, on in flags.items() if on}
        if request.source is not None:
            params["source"] = request.source
        key = request.idempotency_key
        call = Call(
            "POST",
            "/api/public/import",
            params=params,
            content=body.chunks,
            headers={"Idempotency-Key": key} if key else {},
            idempotent=key is not None or request.dry_run,  # a dry run writes nothing
        )
        # Each item parsed on its own and let go: an answer of thousands is not held twice.
        items = self._json_list(self._calls.send(call), _RAW_ITEMS)
        return [_answer_item(_ITEM.decode(item)) for item in items]

    def delete(self, kind: EntityKind, entity_id: str) -> bool:
        try:
            self._calls.send(
                Call("DELETE", f"/api/public/{kind.value}/{quote(entity_id, safe='')}")
            )
        except ServerRefused as refusal:
            if refusal.status == 404:
                return False
            raise
        return True

    def definitions(self) -> list[Definition]:
        answer = self._calls.send(Call("GET", "/api/public/definition"))
        return [
            Definition(
                DefinitionType(str(item["type"])),
                str(item["key"]),
                str(item["version"]),
                _optional_text(item.get("tenantId")),
                _optional_text(item.get("name")),
                None,
            )
            for item in self._json_list(answer)
        ]

    def register_definition(self, definition: Definition) -> None:
        body: dict[str, JsonValue] = {
            "type": definition.type.value,
            "version": definition.version,
            "tenantId": definition.tenant_id,
        }
        if definition.xml is not None:
            body["xml"] = definition.xml
        else:
            body["key"] = definition.key
            body["name"] = definition.name or definition.key
        self._calls.send(Call("POST", "/api/public/definition", json_body=body))

    def widen_scope(self, collection_id: str, entries: Sequence[ScopeEntry]) -> None:
        body: list[JsonValue] = [
            {
                "definitionType": entry.definition_type.value,
                "definitionKey": entry.key,
                "tenants": list(entry.tenants),
            }
            for entry in entries
        ]
        path = f"/api/public/collection/{quote(collection_id, safe='')}/scope"
        self._calls.send(Call("PUT", path, json_body=body))

    def _json_list(
        self, answer: Answer, decoder: msgspec.json.Decoder[Any] | None = None
    ) -> list[Any]:
        what = f"{answer.url}"
        try:
            # One decoder for every answer: an export batch is read as views (msgspec.Raw).
            body = (decoder or _ITEM).decode(answer.body)
        except msgspec.DecodeError:
            raise not_an_api(answer, what, self._calls.server) from None
        if not isinstance(body, list):
            raise ServerRefused(
                answer.status_code,
                None,
                f"{what} answered JSON that is not a list.",
                server=self._calls.server,
            )
        return body


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)


def _answer_item(item: dict[str, Any]) -> ImportAnswerItem:
    """One item of an import's answer; a dry run's created entity has no id yet (null)."""
    action = _optional_text(item.get("action"))
    return ImportAnswerItem(
        id=_optional_text(item.get("id")) or "",
        # The few words every item repeats are kept once, not once per item of thousands.
        entity_type=sys.intern(str(item.get("entityType", ""))),
        source_id=_optional_text(item.get("sourceId")),
        action=None if action is None else sys.intern(action),
        changes=changes_in(item),
    )


def changes_in(item: dict[str, Any]) -> EntityChanges | None:
    """The `changes` of an updated item of a dry run (or of a revision diff), as the domain's:
    a side the target left out is absent, not null."""
    listed = item.get("changes")
    if not isinstance(listed, list):
        return None
    changes = tuple(
        Change(
            str(change.get("path", "")),
            change.get("before", ABSENT),
            change.get("after", ABSENT),
        )
        for change in listed
        if isinstance(change, dict)
    )
    omitted = item.get("changesOmitted")
    return EntityChanges(changes, omitted if isinstance(omitted, int) else 0)
