"""What the client commands share: their settings from flags and the environment, the
progress they show, the container they run with, and how a run's end is printed."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click
from dependency_injector import providers

from application.deploy.delivery import Delivery
from entrypoints.cli.client_output import (
    JsonProgress,
    PlainProgress,
    TerminalProgress,
    counts_line,
    delivery_document,
    echo_json,
    echo_summary,
)
from entrypoints.client_container import ClientContainer
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


def print_delivery(
    delivery: Delivery,
    mapping: dict[str, str],
    progress: Progress,
    *,
    id_map_file: str | None,
    as_json: bool,
    kept_id_map: str | None = None,
    **document: Any,
) -> None:
    """The end of a push or a migrate: the id map written to `id_map_file` (unless a dry
    run), then the summary (its counts only when quiet) naming where the id map is (that
    file, or `kept_id_map`, the one a push keeps), or one JSON document holding `document`
    too."""
    if not delivery.dry_run and id_map_file is not None:
        text = json.dumps(mapping, indent=2, sort_keys=True) + "\n"
        Path(id_map_file).write_text(text, encoding="utf-8")
    if as_json and isinstance(progress, JsonProgress):
        answer = delivery_document(delivery, mapping, progress.retries) | document
        # Notes said outside the delivery (before it), which its own list does not hold.
        answer["notes"] = [*answer["notes"], *progress.notes]
        answer["waits"] = progress.waits
        echo_json(answer)
    elif isinstance(progress, PlainProgress) and progress.quiet:
        click.echo(counts_line(delivery, progress.retries))
    else:
        echo_summary(delivery, progress.retries, id_map_file or kept_id_map)
