"""boardport as a client of any server that keeps the Optimize contract: pull, push, migrate,
list. Exit 0 on success, 1 when anything failed, 2 on usage errors."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from dependency_injector import providers

from adapters.local_file_tree import LocalFileTree
from application.delivery import DeliveryOptions
from application.ports.optimize_server import EntityKind, ServerRefused, ServerUnreachable
from application.ports.release_converter import ConversionUnavailable
from application.use_cases.list_collection_entities import EntitySummary
from application.use_cases.push_directory import PushOptions
from domain.errors import DomainError
from entrypoints.cli.client_output import (
    JsonProgress,
    PlainProgress,
    TerminalProgress,
    delivery_document,
    echo_json,
    echo_summary,
)
from entrypoints.cli.context import container_from_environment, disposing, run
from entrypoints.client_container import ClientContainer
from entrypoints.error_table import body_for
from entrypoints.remote_settings import RemoteSettings, Role
from entrypoints.settings import SettingsError

T = TypeVar("T")
Progress = TerminalProgress | PlainProgress | JsonProgress


def _output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")(
        command
    )
    command = click.option("--quiet", is_flag=True, help="No progress lines; the summary only.")(
        command
    )
    return click.option(
        "--ca-cert",
        type=click.Path(exists=True, dir_okay=False),
        help="A CA certificate file (PEM) to verify the servers' TLS with, for a private CA.",
    )(command)


def _batch_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--batch-size",
        type=click.IntRange(1, 10_000),
        default=100,
        show_default=True,
        help="Ids per export request.",
    )(command)


def _delivery_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.option("--dry-run", is_flag=True, help="Check the import; write nothing."),
            click.option(
                "--overwrite",
                is_flag=True,
                help="Update what an earlier import created (boardport targets only).",
            ),
            click.option(
                "--no-prepare",
                is_flag=True,
                help="Do not register definitions or widen the scope on a boardport target.",
            ),
            click.option(
                "--target-version",
                metavar="RELEASE",
                help="Write the file in this Optimize release's format without asking.",
            ),
            click.option(
                "--allow-loss", is_flag=True, help="Convert even when the release loses content."
            ),
            click.option(
                "--id-map",
                type=click.Path(dir_okay=False, writable=True),
                help="Write the source-to-target id map (JSON) to this file.",
            ),
        ]
    ):
        command = option(command)
    return command


def _settings(role: Role, url: str | None, ca_cert: str | None, *, single: bool) -> RemoteSettings:
    try:
        return RemoteSettings.from_environ(
            os.environ, role, url, single_server=single, ca_cert=ca_cert
        )
    except SettingsError as error:
        raise click.UsageError(str(error)) from None


def _progress(*, quiet: bool, as_json: bool) -> Progress:
    if as_json:
        return JsonProgress()
    if not quiet and sys.stderr.isatty():
        return TerminalProgress()
    return PlainProgress(quiet=quiet)


def _container(
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
def _reporting(progress: Progress, *, as_json: bool) -> Iterator[None]:
    """Every failure of a run as one line with the server's errorCode and detailedMessage."""
    try:
        yield
    except ServerRefused as refusal:
        progress.finish()
        _fail(
            refusal.error_code or f"http{refusal.status}",
            refusal.detailed_message,
            dict(refusal.extra),
            as_json=as_json,
        )
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


def _write_id_map(path: str | None, id_map: dict[str, str]) -> None:
    if path is not None:
        Path(path).write_text(json.dumps(id_map, indent=2, sort_keys=True) + "\n", encoding="utf-8")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--from", "source_url", metavar="URL", help="The server to pull from.")
@click.option("--collection", "collection_id", required=True, help="The collection to pull.")
@_batch_option
@_output_options
def pull(
    directory: str,
    source_url: str | None,
    collection_id: str,
    batch_size: int,
    ca_cert: str | None,
    *,
    quiet: bool,
    as_json: bool,
) -> None:
    """Fetch every dashboard and report of a collection into DIRECTORY, one file each."""
    settings = _settings(Role.SOURCE, source_url, ca_cert, single=True)
    progress = _progress(quiet=quiet, as_json=as_json)
    container = _container(progress, batch_size, source=settings)
    with _reporting(progress, as_json=as_json):
        result = container.pull(tree=LocalFileTree(Path(directory)))(collection_id)
    if as_json:
        echo_json(
            {
                "source": settings.url,
                "collection": collection_id,
                "directory": directory,
                "dashboards": result.dashboards,
                "reports": result.reports,
                "definitions": result.definitions,
                "removed": list(result.removed),
            }
        )
        return
    click.echo(
        f"pulled {result.dashboards} dashboards, {result.reports} reports and "
        f"{result.definitions} definition files into {directory}"
        + (f"; removed {len(result.removed)} stale files" if result.removed else "")
    )


@click.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--to", "target_url", metavar="URL", help="The server to push to.")
@click.option("--collection", "collection_id", required=True, help="The target collection.")
@click.option(
    "--replace",
    is_flag=True,
    help="After the import succeeded, delete what the previous push here created.",
)
@_delivery_options
@_batch_option
@_output_options
def push(
    *,
    directory: str,
    target_url: str | None,
    collection_id: str,
    target_version: str | None,
    id_map: str | None,
    batch_size: int,
    ca_cert: str | None,
    replace: bool,
    dry_run: bool,
    overwrite: bool,
    no_prepare: bool,
    allow_loss: bool,
    quiet: bool,
    as_json: bool,
) -> None:
    """Import the entities of a pulled DIRECTORY into a collection of a server."""
    settings = _settings(Role.TARGET, target_url, ca_cert, single=True)
    progress = _progress(quiet=quiet, as_json=as_json)
    container = _container(progress, batch_size, target=settings)
    options = PushOptions(
        DeliveryOptions(dry_run, overwrite, not no_prepare, target_version, allow_loss), replace
    )
    with _reporting(progress, as_json=as_json):
        result = container.push(tree=LocalFileTree(Path(directory)))(collection_id, options)
    mapping = result.id_map()
    if not dry_run:
        _write_id_map(id_map, mapping)
    if as_json:
        document = delivery_document(result.delivery, mapping)
        document["deleted"] = list(result.deleted)
        document["notes"] = [*document["notes"], *_notes(progress)]
        echo_json(document)
        return
    echo_summary(result.delivery, mapping, result.deleted)


@click.command()
@click.option("--from", "source_url", metavar="URL", required=True, help="The source server.")
@click.option("--collection", "collection_id", required=True, help="The source collection.")
@click.option("--to", "target_url", metavar="URL", required=True, help="The target server.")
@click.option("--to-collection", "target_collection", required=True, help="The target collection.")
@_delivery_options
@_batch_option
@_output_options
def migrate(
    *,
    source_url: str,
    collection_id: str,
    target_url: str,
    target_collection: str,
    target_version: str | None,
    id_map: str | None,
    batch_size: int,
    ca_cert: str | None,
    dry_run: bool,
    overwrite: bool,
    no_prepare: bool,
    allow_loss: bool,
    quiet: bool,
    as_json: bool,
) -> None:
    """Copy a collection from one server into a collection of another, in one step."""
    source = _settings(Role.SOURCE, source_url, ca_cert, single=False)
    target = _settings(Role.TARGET, target_url, ca_cert, single=False)
    progress = _progress(quiet=quiet, as_json=as_json)
    container = _container(progress, batch_size, source=source, target=target)
    options = DeliveryOptions(dry_run, overwrite, not no_prepare, target_version, allow_loss)
    with _reporting(progress, as_json=as_json):
        result = container.migrate()(collection_id, target_collection, options)
    mapping = result.id_map()
    if not dry_run:
        _write_id_map(id_map, mapping)
    if as_json:
        document = delivery_document(result.delivery, mapping)
        document["source"] = source.url
        document["notes"] = [*document["notes"], *_notes(progress)]
        echo_json(document)
        return
    echo_summary(result.delivery, mapping)


def _notes(progress: Progress) -> list[str]:
    """Notes said outside the delivery (before it), which its own list does not hold."""
    return [] if not isinstance(progress, JsonProgress) else progress.notes


@click.command("list")
@click.argument("kind", type=click.Choice(["dashboards", "reports"]))
@click.option("--collection", "collection_id", required=True, help="The collection to list.")
@click.option("--from", "source_url", metavar="URL", help="A server; without it, this database.")
@_output_options
def list_entities(
    kind: str,
    collection_id: str,
    source_url: str | None,
    ca_cert: str | None,
    *,
    quiet: bool,  # noqa: ARG001 - the summary is all list prints
    as_json: bool,
) -> None:
    """Names, ids and types of the dashboards or reports of a collection."""
    entity_kind = EntityKind.DASHBOARD if kind == "dashboards" else EntityKind.REPORT
    listed: list[EntitySummary]
    if source_url is None:
        with disposing(container_from_environment()) as local:
            listed = run(lambda: local.list_collection_entities()(entity_kind, collection_id))
    else:
        settings = _settings(Role.SOURCE, source_url, ca_cert, single=True)
        progress = PlainProgress(quiet=True)
        container = _container(progress, 100, source=settings)
        with _reporting(progress, as_json=as_json):
            listed = container.list_remote()(entity_kind, collection_id)
    if as_json:
        echo_json([{"id": e.id, "name": e.name, "type": e.entity_type} for e in listed])
        return
    for entity in listed:
        click.echo(f"{entity.entity_type}\t{entity.id}\t{entity.name}")
