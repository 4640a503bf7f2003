"""What the client commands share: their settings from flags and the environment, the
progress they show, the container they run with, and how a failure is reported (one line with
the server's errorCode and detailedMessage, exit status 1)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click
from dependency_injector import providers

from application.delivery import Delivery
from application.ports.optimize_server import ServerRefused, ServerUnreachable
from application.ports.release_converter import ConversionUnavailable
from domain.errors import DomainError
from entrypoints.cli.client_output import (
    JsonProgress,
    PlainProgress,
    TerminalProgress,
    delivery_document,
    echo_json,
    echo_summary,
)
from entrypoints.client_container import ClientContainer
from entrypoints.error_table import body_for
from entrypoints.remote_settings import RemoteSettings, Role
from entrypoints.settings import SettingsError

Progress = TerminalProgress | PlainProgress | JsonProgress


def remote_settings(
    role: Role, url: str | None, ca_cert: str | None, *, single: bool
) -> RemoteSettings:
    try:
        return RemoteSettings.from_environ(
            os.environ, role, url, single_server=single, ca_cert=ca_cert
        )
    except SettingsError as error:
        raise click.UsageError(str(error)) from None


def progress_for(*, quiet: bool, as_json: bool) -> Progress:
    if as_json:
        return JsonProgress()
    if not quiet and sys.stderr.isatty():
        return TerminalProgress()
    return PlainProgress(quiet=quiet)


def client_container(
    progress: Progress,
    batch_size: int,
    source: RemoteSettings | None = None,
    target: RemoteSettings | None = None,
) -> ClientContainer:
    container = ClientContainer()
    if source is not None:
        container.source_settings.override(providers.Object(source))
    if target is not None:
        container.target_settings.override(providers.Object(target))
    container.progress.override(providers.Object(progress))
    container.batch_size.override(providers.Object(batch_size))
    return container


def _fail(code: str, detail: str, extra: dict[str, Any], *, as_json: bool) -> NoReturn:
    if as_json:
        echo_json({"error": {"errorCode": code, "detailedMessage": detail, **extra}})
    click.echo(f"{code}: {detail}", err=True)
    for name, value in extra.items():
        click.echo(f"{name}: {json.dumps(value, ensure_ascii=False)}", err=True)
    sys.exit(1)


@contextmanager
def reporting(progress: Progress, *, as_json: bool) -> Iterator[None]:
    """Every failure of a run as one line with the server's errorCode and detailedMessage."""
    try:
        yield
    except ServerRefused as refusal:
        progress.finish()
        code = refusal.error_code or f"http{refusal.status}"
        _fail(code, refusal.detailed_message, dict(refusal.extra), as_json=as_json)
    except ServerUnreachable as error:
        progress.finish()
        _fail("serverUnreachable", str(error), {}, as_json=as_json)
    except ConversionUnavailable as error:
        progress.finish()
        _fail("conversionRefused", str(error), {}, as_json=as_json)
    except DomainError as error:
        progress.finish()
        body = body_for(error)
        _fail(body.error_code, body.detailed_message, dict(body.extra), as_json=as_json)
    except OSError as error:
        progress.finish()
        _fail("fileError", str(error), {}, as_json=as_json)
    progress.finish()


def delivered(
    delivery: Delivery,
    mapping: dict[str, str],
    progress: Progress,
    *,
    id_map: str | None,
    as_json: bool,
    **document: Any,
) -> None:
    """The end of a push or a migrate: the id map written (unless a dry run), then the
    summary, or one JSON document holding `document` too."""
    if not delivery.dry_run and id_map is not None:
        text = json.dumps(mapping, indent=2, sort_keys=True) + "\n"
        Path(id_map).write_text(text, encoding="utf-8")
    if not as_json:
        echo_summary(delivery, mapping, tuple(document.get("deleted", ())))
        return
    answer = delivery_document(delivery, mapping) | document
    # Notes said outside the delivery (before it), which its own list does not hold.
    said = progress.notes if isinstance(progress, JsonProgress) else []
    answer["notes"] = [*answer["notes"], *said]
    echo_json(answer)
