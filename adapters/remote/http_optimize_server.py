"""The Optimize public API over HTTP: a real Optimize or another boardport."""

from __future__ import annotations

import functools
import json
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import quote

import httpx
import msgspec

from adapters.remote.answers import Answer, certificate_problem, read_body, refusal
from adapters.remote.retry import NOT_PROCESSED_STATUSES, RETRIED_STATUSES, RetryPolicy
from adapters.remote.tokens import TokenSource
from application.ports.optimize_server import (
    EntityKind,
    ExportedBatch,
    ImportBody,
    ImportedItem,
    OptimizeServer,
    ServerRefused,
    ServerUnreachable,
)
from domain.collection import ScopeEntry
from domain.definition import Definition, DefinitionType
from domain.json_document import JsonValue

BOARDPORT_TITLE = "boardport"
_ITEM: msgspec.json.Decoder[Any] = msgspec.json.Decoder()
_RAW_ITEMS = msgspec.json.Decoder(list[msgspec.Raw])


@functools.cache  # the installed metadata does not change while the process runs
def user_agent() -> str:
    try:
        return f"boardport/{version('boardport')}"
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "boardport/0"


class HttpOptimizeServer(OptimizeServer):
    """Every call carries the bearer token, JSON content type, a boardport User-Agent and a
    timeout. 429/502/503/504 and dropped connections are retried with backoff and jitter,
    honouring Retry-After, `policy.attempts` times in all; an import that may have been acted
    on (502, 504, a connection lost after the request was sent) is retried only when it is
    idempotent (overwrite). A 401 fetches the token once more. Other errors are final."""

    def __init__(
        self,
        url: str,
        tokens: TokenSource,
        http: httpx.Client,
        *,
        policy: RetryPolicy = RetryPolicy(),  # noqa: B008 - an immutable value
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self._url = url.rstrip("/")
        self._tokens = tokens
        self._http = http
        self._policy = policy
        self._sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not secrets
        self._boardport: bool | None = None
        self.retries = 0

    @property
    def url(self) -> str:
        return self._url

    def is_boardport(self) -> bool:
        if self._boardport is None:
            self._boardport = self._says_boardport()
        return self._boardport

    def _says_boardport(self) -> bool:
        # boardport serves its OpenAPI document, without a token, at /schema/openapi.json with
        # the title "boardport"; Optimize has no such document there.
        try:
            answer = self._send("GET", "/schema/openapi.json", authorized=False)
        except ServerRefused:
            return False
        try:
            info = json.loads(answer.body).get("info", {})
        except (ValueError, AttributeError):
            return False
        return isinstance(info, dict) and info.get("title") == BOARDPORT_TITLE

    def list_ids(self, kind: EntityKind, collection_id: str) -> list[str]:
        answer = self._send(
            "GET", f"/api/public/{kind.value}", params={"collectionId": collection_id}
        )
        return [str(item["id"]) for item in self._json_list(answer)]

    def export(self, kind: EntityKind, ids: Sequence[str]) -> ExportedBatch:
        """Each entity's text is a view of the answer's buffer (msgspec.Raw): sent on, no copy."""
        answer = self._send(
            "POST", f"/api/public/export/{kind.value}/definition/json", json_body=list(ids)
        )
        texts = [memoryview(raw) for raw in self._json_list(answer, _RAW_ITEMS)]
        return ExportedBatch(texts, _ITEM.decode)

    def import_file(
        self, collection_id: str, body: ImportBody, *, dry_run: bool, overwrite: bool
    ) -> list[ImportedItem]:
        params = {"collectionId": collection_id}
        if dry_run:
            params["dryRun"] = "true"
        if overwrite:
            params["overwrite"] = "true"
        answer = self._send(
            "POST", "/api/public/import", params=params, content=body.chunks, idempotent=overwrite
        )
        return [
            ImportedItem(
                id=str(item["id"]),
                entity_type=str(item.get("entityType", "")),
                source_id=_optional_text(item.get("sourceId")),
                action=_optional_text(item.get("action")),
            )
            for item in self._json_list(answer)
        ]

    def delete(self, kind: EntityKind, entity_id: str) -> bool:
        try:
            self._send("DELETE", f"/api/public/{kind.value}/{quote(entity_id, safe='')}")
        except ServerRefused as refusal:
            if refusal.status == 404:
                return False
            raise
        return True

    def definitions(self) -> list[Definition]:
        answer = self._send("GET", "/api/public/definition")
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
        self._send("POST", "/api/public/definition", json_body=body)

    def widen_scope(self, collection_id: str, entries: Sequence[ScopeEntry]) -> None:
        body: list[JsonValue] = [
            {
                "definitionType": entry.definition_type.value,
                "definitionKey": entry.key,
                "tenants": list(entry.tenants),
            }
            for entry in entries
        ]
        self._send(
            "PUT",
            f"/api/public/collection/{quote(collection_id, safe='')}/scope",
            json_body=body,
        )

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: JsonValue = None,
        content: Callable[[], Iterator[bytes]] | None = None,
        authorized: bool = True,
        idempotent: bool = True,
    ) -> Answer:
        """`idempotent`: the request may be sent again after it may have been acted on (reads,
        exports, registrations, deletes, an overwrite import; not a plain import)."""
        what = f"{method} {self._url}{path}"
        refreshed = False
        attempt = 1
        while True:
            parts = self._request_parts(json_body, content, authorized=authorized)
            try:
                answer = self._exchange(method, f"{self._url}{path}", params, parts)
            except httpx.TransportError as error:
                self._unless_retried(error, what, attempt, idempotent=idempotent)
                self._wait(attempt, None)
                attempt += 1
                continue
            if answer.status_code == 401 and authorized and not refreshed:
                refreshed = True
                self._tokens.invalidate()
                continue
            retried = answer.status_code in RETRIED_STATUSES and (
                idempotent or answer.status_code in NOT_PROCESSED_STATUSES
            )
            if retried and attempt < self._policy.attempts:
                self._wait(attempt, answer.headers.get("Retry-After"))
                attempt += 1
                continue
            if answer.status_code >= 400:
                raise refusal(answer, what)
            return answer

    def _exchange(
        self, method: str, url: str, params: Mapping[str, str] | None, parts: dict[str, Any]
    ) -> Answer:
        """One request and its whole answer. A body is read into one buffer of the length the
        server announced: httpx's own read joins its chunks, holding a batch of export twice."""
        request = self._http.build_request(method, url, params=params, **parts)
        answer = self._http.send(request, stream=True)
        try:
            body = read_body(answer)
        finally:
            answer.close()
        return Answer(answer.status_code, answer.headers, request.url, body)

    def _request_parts(
        self,
        json_body: JsonValue,
        content: Callable[[], Iterator[bytes]] | None,
        *,
        authorized: bool,
    ) -> dict[str, Any]:
        """The headers and body of one attempt (a new token, a new stream each time)."""
        headers = {"User-Agent": user_agent(), "Accept": "application/json"}
        if authorized:
            headers["Authorization"] = f"Bearer {self._tokens.token()}"
        parts: dict[str, Any] = {"headers": headers}
        if content is not None:
            headers["Content-Type"] = "application/json"
            parts["content"] = content()
        elif json_body is not None:
            headers["Content-Type"] = "application/json"
            parts["content"] = json.dumps(json_body, ensure_ascii=False).encode()
        return parts

    def _unless_retried(
        self, error: httpx.TransportError, what: str, attempt: int, *, idempotent: bool
    ) -> None:
        """Raises ServerUnreachable unless the request is to be tried again. A certificate
        that cannot be verified is final: trying again would not change it."""
        certificate = certificate_problem(error)
        if certificate is not None:
            raise ServerUnreachable(
                f"{what} refused: the server's TLS certificate could not be verified "
                f"({certificate}). For a server whose certificate a private CA signed, give "
                "that CA's certificate with --ca-cert FILE."
            ) from None
        sent = not isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
        if (sent and not idempotent) or attempt >= self._policy.attempts:
            raise ServerUnreachable(
                f"{what} failed after {attempt} attempt(s): "
                f"{type(error).__name__}: {error or 'connection lost'}"
            ) from None

    def _wait(self, attempt: int, retry_after: str | None) -> None:
        self.retries += 1
        self._sleep(self._policy.delay(attempt, retry_after, self._rng))

    @staticmethod
    def _json_list(answer: Answer, decoder: msgspec.json.Decoder[Any] | None = None) -> list[Any]:
        try:
            # One decoder for every answer: an export batch is read as views (msgspec.Raw).
            body = (decoder or _ITEM).decode(answer.body)
        except msgspec.DecodeError:
            raise ServerRefused(
                answer.status_code, None, f"{answer.url} answered something not JSON."
            ) from None
        if not isinstance(body, list):
            raise ServerRefused(
                answer.status_code, None, f"{answer.url} answered JSON that is not a list."
            )
        return body


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)
