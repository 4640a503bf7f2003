"""boardport as a client of any server that keeps the Optimize contract: pull, push, migrate,
list (and plan, in plan_commands). Exit 0 on success, 1 when anything failed, 2 on usage errors
(migrate --plan: see plan_commands)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from adapters.local_file_tree import LocalFileTree
from application.deploy.delivery import DeliveryOptions
from application.deploy.state import ID_MAP_FILE
from application.ports.optimize_server import EntityKind
from application.use_cases.list_collection_entities import EntitySummary
from application.use_cases.push_directory import PushOptions
from entrypoints.cli.client_options import (
    DELIVERY,
    OUTPUT,
    SELECTED,
    SELECTORS,
    client_options,
    selector_from,
)
from entrypoints.cli.client_output import PlainProgress, echo_json
from entrypoints.cli.client_support import (
    client_container,
    print_delivery,
    progress_for,
    remote_settings,
)
from entrypoints.cli.context import closing_database, container_from_environment
from entrypoints.cli.failures import reporting, run
from entrypoints.cli.plan_commands import PlanningCommand, plan_migration
from entrypoints.remote_settings import Role
from entrypoints.runtime import freeze_startup_heap, switch_threads_often


def delivery_options(
    *,
    dry_run: bool,
    overwrite: bool,
    new_copies: bool,
    prune: bool,
    no_prepare: bool,
    target_version: str | None,
    allow_loss: bool,
) -> DeliveryOptions:
    if overwrite and new_copies:
        raise click.UsageError("--overwrite updates, --new-copies creates anew: give one")
    return DeliveryOptions(
        dry_run=dry_run,
        new_copies=new_copies,
        overwrite=overwrite,
        prune=prune,
        prepare=not no_prepare,
        target_release=target_version,
        allow_loss=allow_loss,
    )


@click.command()
@click.argument("directory", type=click.Path(file_okay=False))
@client_options("from", "collection", *SELECTORS, "batch-size", *OUTPUT)
def pull(
    directory: str,
    source_url: str | None,
    collection_id: str,
    batch_size: int,
    ca_cert: str | None,
    *,
    quiet: bool,
    as_json: bool,
    **selectors: tuple[str, ...],
) -> None:
    """Fetch every dashboard and report of a collection (or the part the selectors name)
    into DIRECTORY, one file each."""
    selector = selector_from(**selectors, prune=False)
    settings = remote_settings(Role.SOURCE, source_url, ca_cert, single=True)
    progress = progress_for(quiet=quiet, as_json=as_json)
    container = client_container(progress, batch_size, source=settings)
    with reporting(as_json=as_json, before=progress.finish):
        result = container.pull(tree=LocalFileTree(Path(directory)))(collection_id, selector)
    progress.finish()
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
@client_options("to", "collection", *DELIVERY, "partial", *SELECTORS, "batch-size", *OUTPUT)
def push(
    *,
    directory: str,
    target_url: str | None,
    collection_id: str,
    id_map: str | None,
    batch_size: int,
    ca_cert: str | None,
    partial: bool,
    quiet: bool,
    as_json: bool,
    dashboards: tuple[str, ...],
    reports: tuple[str, ...],
    names: tuple[str, ...],
    **delivery: Any,
) -> None:
    """Deploy the entities of a pulled DIRECTORY (or the part the selectors name) into a
    collection of a server: against a boardport, the same push twice gives the same
    collection."""
    selector = selector_from(dashboards, reports, names, prune=delivery["prune"])
    options = PushOptions(delivery_options(**delivery), partial=partial, selector=selector)
    if partial and options.delivery.prune:
        raise click.UsageError("--prune deletes what the file lacks: not with --partial")
    settings = remote_settings(Role.TARGET, target_url, ca_cert, single=True)
    progress = progress_for(quiet=quiet, as_json=as_json)
    container = client_container(progress, batch_size, target=settings)
    with reporting(as_json=as_json, before=progress.finish):
        result = container.push(tree=LocalFileTree(Path(directory)))(collection_id, options)
    progress.finish()
    print_delivery(
        result.delivery,
        result.id_map(),
        progress,
        id_map_file=id_map,
        as_json=as_json,
        kept_id_map=str(Path(directory, ID_MAP_FILE)),
    )


@click.command(cls=PlanningCommand, plans_when="plan")
@client_options(
    "from", "collection", "to", "to-collection", *DELIVERY, "plan", *SELECTORS, "batch-size",
    *OUTPUT,
)  # fmt: skip
def migrate(
    *,
    source_url: str | None,
    collection_id: str,
    target_url: str | None,
    target_collection: str,
    id_map: str | None,
    batch_size: int,
    ca_cert: str | None,
    quiet: bool,
    as_json: bool,
    plan: bool,
    **options: Any,
) -> None:
    """Copy a collection (or the part the selectors name) from one server into a collection
    of another, in one step: against a boardport, the same migrate twice gives the same
    collection. With --plan, say what it would change instead (exit 0: nothing, 2: something,
    1: an error)."""
    selector = selector_from(*(options.pop(n) for n in SELECTED), prune=options["prune"])
    delivery = delivery_options(**options)
    source = remote_settings(Role.SOURCE, source_url, ca_cert, single=False)
    target = remote_settings(Role.TARGET, target_url, ca_cert, single=False)
    progress = progress_for(quiet=quiet, as_json=as_json)
    freeze_startup_heap()
    switch_threads_often()
    container = client_container(progress, batch_size, source=source, target=target)
    collections = (collection_id, target_collection)
    if plan:
        plan_migration(container, progress, collections, delivery, selector, as_json=as_json)
    with reporting(as_json=as_json, before=progress.finish):
        result = container.migrate()(*collections, delivery, selector)
    progress.finish()
    print_delivery(
        result.delivery,
        result.id_map(),
        progress,
        id_map_file=id_map,
        as_json=as_json,
        source=source.url,
    )


@click.command("list")
@click.argument("kind", type=click.Choice(["dashboards", "reports"]))
@client_options("collection", "from", *SELECTORS, *OUTPUT)
def list_entities(
    kind: str,
    collection_id: str,
    source_url: str | None,
    ca_cert: str | None,
    *,
    quiet: bool,  # noqa: ARG001 - the summary is all list prints
    as_json: bool,
    **selectors: tuple[str, ...],
) -> None:
    """Names, ids and types of the dashboards or reports of a collection: from this database,
    or with --from from a server (only those of the part the selectors name)."""
    entity_kind = EntityKind.DASHBOARD if kind == "dashboards" else EntityKind.REPORT
    selector = selector_from(**selectors, prune=False)
    listed: list[EntitySummary]
    if source_url is None and not selector.whole:
        raise click.UsageError(
            "--dashboard, --report and --name take a part of a server's collection: give --from"
        )
    if source_url is None:
        with closing_database(container_from_environment()) as local:
            listed = run(lambda: local.list_collection_entities()(entity_kind, collection_id))
    else:
        settings = remote_settings(Role.SOURCE, source_url, ca_cert, single=True)
        progress = PlainProgress(quiet=True)
        container = client_container(progress, 100, source=settings)
        with reporting(as_json=as_json):
            listed = container.list_remote()(entity_kind, collection_id, selector)
    if as_json:
        echo_json([{"id": e.id, "name": e.name, "type": e.entity_type} for e in listed])
        return
    for entity in listed:
        click.echo(f"{entity.entity_type}\t{entity.id}\t{entity.name}")
