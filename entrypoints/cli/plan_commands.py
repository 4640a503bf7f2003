"""`boardport plan` and what `migrate --plan` shares with it: what a push (a migrate) would do
to the target, without writing (PUBLIC_API.md §5, "Plan"). Exit 0 when nothing would change,
2 when something would, 1 on an error; a usage error is an error too (1, not click's 2), so
that 2 means one thing to a CI job."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from adapters.local_file_tree import LocalFileTree
from application.deploy.delivery import DeliveryOptions
from application.deploy.plan import DeployPlan
from application.use_cases.push_directory import PushOptions
from domain.selection import Selector
from entrypoints.cli.client_options import OUTPUT, SELECTORS, client_options, selector_from
from entrypoints.cli.client_output import JsonProgress, echo_json
from entrypoints.cli.client_support import (
    Progress,
    client_container,
    progress_for,
    remote_settings,
)
from entrypoints.cli.failures import reporting
from entrypoints.cli.plan_output import echo_plan, exit_status, plan_document
from entrypoints.client_container import ClientContainer
from entrypoints.remote_settings import Role

PLANNING = ("prune", "no-prepare", "target-version", "allow-loss")
"""What a push or migrate takes that changes what it would do."""


class PlanUsageError(click.UsageError):
    """A usage error of a command that plans: exit 1, since 2 says that changes are planned."""

    exit_code = 1


class PlanningCommand(click.Command):
    """A command whose exit status 2 says that changes are planned: its usage errors exit 1.
    `plans_when`: the flag that makes it plan (migrate's --plan); None: it always plans."""

    def __init__(self, *args: Any, plans_when: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plans_when = plans_when

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        planning = self.plans_when is None or f"--{self.plans_when}" in args
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            if planning and not isinstance(error, PlanUsageError):
                raise PlanUsageError(error.message, error.ctx) from error
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            planning = self.plans_when is None or ctx.params.get(self.plans_when)
            if planning and not isinstance(error, PlanUsageError):
                raise PlanUsageError(error.message, error.ctx) from error
            raise


@click.command(cls=PlanningCommand)
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@client_options("to", "collection", *PLANNING, "partial", *SELECTORS, "batch-size", *OUTPUT)
def plan(
    *,
    directory: str,
    target_url: str | None,
    collection_id: str,
    prune: bool,
    no_prepare: bool,
    target_version: str | None,
    allow_loss: bool,
    partial: bool,
    batch_size: int,
    ca_cert: str | None,
    quiet: bool,
    as_json: bool,
    **selectors: tuple[str, ...],
) -> None:
    """Say what `push DIRECTORY` with the same options would do to a collection, entity by
    entity, without writing: against a boardport its dry run of the import, against an
    Optimize what Optimize would do. Exit 0 when nothing would change, 2 when something
    would, 1 on an error."""
    if partial and prune:
        raise click.UsageError("--prune deletes what the file lacks: not with --partial")
    delivery = DeliveryOptions(
        prune=prune,
        prepare=not no_prepare,
        target_release=target_version,
        allow_loss=allow_loss,
    )
    selector = selector_from(**selectors, prune=prune)
    options = PushOptions(delivery, partial=partial, selector=selector)
    settings = remote_settings(Role.TARGET, target_url, ca_cert, single=True)
    progress = progress_for(quiet=quiet, as_json=as_json)
    container = client_container(progress, batch_size, target=settings)
    tree = LocalFileTree(Path(directory))
    with reporting(as_json=as_json, before=progress.finish):
        push = container.push(tree=tree)
        planned = container.plan_push(push=push)(collection_id, options)
    progress.finish()
    finish_plan(planned, progress, as_json=as_json)


def plan_migration(
    container: ClientContainer,
    progress: Progress,
    collections: tuple[str, str],
    options: DeliveryOptions,
    selector: Selector,
    *,
    as_json: bool,
) -> NoReturn:
    """`migrate --plan`: from the source collection into the target one."""
    with reporting(as_json=as_json, before=progress.finish):
        planned = container.plan_migration()(*collections, options, selector)
    progress.finish()
    finish_plan(planned, progress, as_json=as_json)


def finish_plan(planned: DeployPlan, progress: Progress, *, as_json: bool) -> NoReturn:
    """The plan printed (one JSON document with --json), then the exit status it makes."""
    if as_json and isinstance(progress, JsonProgress):
        echo_json(plan_document(planned) | {"notes": progress.notes, "waits": progress.waits})
    else:
        echo_plan(planned)
    sys.exit(exit_status(planned))
