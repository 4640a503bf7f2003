"""How every command reports a failure, the server's and the client's alike: one line
`[which server: ]errorCode: detailedMessage` on stderr, then each extra field of the error on a
line of its own; with --json, one JSON document on stdout as well. Exit status 1."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NoReturn, TypeVar

import click

from application.deploy.errors import DeployStopped, ImportAnswerLost
from application.errors import StorageError
from application.ports.optimize_server import ServerKindUnknown, ServerRefused, ServerUnreachable
from application.ports.release_converter import ConversionUnavailable
from domain.errors import DomainError
from domain.json_document import JsonValue
from entrypoints.error_table import body_for, storage_body

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Failure:
    error_code: str
    detailed_message: str
    extra: Mapping[str, object] = field(default_factory=dict)
    server: str = ""
    """Which server it came from ("target https://..."), when a server's."""


def fail(failure: Failure, *, as_json: bool = False) -> NoReturn:
    if as_json:
        document: dict[str, object] = {
            "errorCode": failure.error_code,
            "detailedMessage": failure.detailed_message,
            **({"server": failure.server} if failure.server else {}),
            **failure.extra,
        }
        click.echo(json.dumps({"error": document}, indent=2, ensure_ascii=False))
    prefix = f"{failure.server}: " if failure.server else ""
    click.echo(f"{prefix}{failure.error_code}: {failure.detailed_message}", err=True)
    for name, value in failure.extra.items():
        click.echo(f"{name}: {json.dumps(value, ensure_ascii=False)}", err=True)
    sys.exit(1)


@contextmanager
def reporting(*, as_json: bool = False, before: Callable[[], None] | None = None) -> Iterator[None]:
    """Every failure a command knows, reported (`before` runs first: a progress line ended);
    anything else is a bug and goes up with its traceback."""
    try:
        yield
    except Exception as error:
        failure = described(error)
        if failure is None:
            raise
        if before is not None:
            before()
        fail(failure, as_json=as_json)


def run(action: Callable[[], T]) -> T:
    with reporting():
        return action()


def described(error: Exception) -> Failure | None:
    """The report of an error a command knows; None for any other."""
    if isinstance(error, ServerRefused):
        code = error.error_code or f"http{error.status}"
        return Failure(code, error.detailed_message, error.extra, error.server)
    if isinstance(error, ServerUnreachable):
        code = "serverKindUnknown" if isinstance(error, ServerKindUnknown) else "serverUnreachable"
        return Failure(code, str(error), {}, error.server)
    if isinstance(error, ImportAnswerLost):
        landed: JsonValue = [
            {"id": i.id, "entityType": i.entity_type, "sourceId": i.source_id}
            for i in error.landed or ()
        ]
        return Failure(error.error_code, str(error), {"landed": landed} if landed else {})
    if isinstance(error, DeployStopped):
        return Failure(error.error_code, str(error))
    if isinstance(error, ConversionUnavailable):
        return Failure("conversionRefused", str(error))
    if isinstance(error, DomainError):
        body = body_for(error)
        return Failure(body.error_code, body.detailed_message, body.extra)
    if isinstance(error, StorageError):
        # The API's answer, and on a terminal also the database's own words (the operator's).
        body = storage_body(error)
        return Failure(body.error_code, f"{body.detailed_message} ({error.detail})", body.extra)
    if isinstance(error, OSError):
        return Failure("fileError", str(error))
    return None
