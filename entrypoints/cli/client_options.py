"""The options of the client commands (pull, push, migrate, plan, list), each declared once here
and given to a command by name: `@client_options("from", "collection", *OUTPUT)`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from domain.selection import Selector

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

_OPTIONS: dict[str, Decorator] = {
    "from": click.option("--from", "source_url", metavar="URL", help="The source server."),
    "from-boardport": click.option(
        "--from",
        "source_url",
        metavar="URL",
        help="A boardport server to work on instead of this database, with the source's "
        "credentials (BOARDPORT_SOURCE_TOKEN, ...).",
    ),
    "to": click.option("--to", "target_url", metavar="URL", help="The target server."),
    "collection": click.option(
        "--collection",
        "collection_id",
        required=True,
        help="The collection: on the source server, or on the target for push.",
    ),
    "to-collection": click.option(
        "--to-collection", "target_collection", required=True, help="The target collection."
    ),
    "prune": click.option(
        "--prune",
        "--replace",
        "prune",
        is_flag=True,
        help="Delete what an earlier deploy from the same source put in the collection and "
        "the file no longer has: on a boardport in the same import; on an Optimize, what the "
        "previous push here created, after the import succeeded.",
    ),
    "dry-run": click.option(
        "--dry-run", is_flag=True, help="Say what the run would do; write nothing."
    ),
    "overwrite": click.option(
        "--overwrite",
        is_flag=True,
        help="Update what an earlier deploy created: the default against a boardport.",
    ),
    "new-copies": click.option(
        "--new-copies",
        is_flag=True,
        help="Create every entity anew, as Optimize does, even on a boardport (no overwrite, "
        "no retry once the import was sent).",
    ),
    "partial": click.option(
        "--partial",
        is_flag=True,
        help="Push a directory that is not the whole of a pull (an unfinished pull, files "
        "boardport.json does not list).",
    ),
    "no-prepare": click.option(
        "--no-prepare",
        is_flag=True,
        help="Do not register definitions or widen the scope on a boardport target.",
    ),
    "target-version": click.option(
        "--target-version",
        metavar="RELEASE",
        help="Write the file in this Optimize release's format without asking.",
    ),
    "allow-loss": click.option(
        "--allow-loss", is_flag=True, help="Convert even when the release loses content."
    ),
    "id-map": click.option(
        "--id-map",
        type=click.Path(dir_okay=False, writable=True),
        help="Write the source-to-target id map (JSON) to this file.",
    ),
    "batch-size": click.option(
        "--batch-size",
        type=click.IntRange(1, 10_000),
        default=100,
        show_default=True,
        help="Ids per export request.",
    ),
    "dashboard": click.option(
        "--dashboard",
        "dashboards",
        metavar="ID",
        multiple=True,
        help="Take only this dashboard, with its reports (repeatable).",
    ),
    "report": click.option(
        "--report",
        "reports",
        metavar="ID",
        multiple=True,
        help="Take only this report; a combined report with its reports (repeatable).",
    ),
    "name": click.option(
        "--name",
        "names",
        metavar="GLOB",
        multiple=True,
        help="Take only the dashboards and reports whose name matches (case-insensitive, "
        "* and ?; repeatable).",
    ),
    "plan": click.option(
        "--plan",
        is_flag=True,
        help="Say what the run would change, entity by entity, without writing; exit 0 when "
        "nothing would change, 2 when something would.",
    ),
    "json": click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout."),
    "quiet": click.option(
        "--quiet", is_flag=True, help="No progress lines or notes; the summary's counts only."
    ),
    "ca-cert": click.option(
        "--ca-cert",
        type=click.Path(exists=True, dir_okay=False),
        help="A private CA's certificate (PEM), trusted besides the default CAs. TLS is "
        "always verified.",
    ),
}

DELIVERY = (
    "prune",
    "dry-run",
    "overwrite",
    "new-copies",
    "no-prepare",
    "target-version",
    "allow-loss",
    "id-map",
)
"""What push and migrate share: how the file is delivered to the target."""
SELECTORS = ("dashboard", "report", "name")
"""A part of a collection: what pull, push, migrate, plan and list take of it."""
SELECTED = ("dashboards", "reports", "names")
"""The parameters the selector options give, in `selector_from`'s order."""
OUTPUT = ("json", "quiet", "ca-cert")
"""What every command that talks to a server takes."""


def client_options(*names: str) -> Decorator:
    """The named options, shown in `--help` in the order given."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for name in reversed(names):
            command = _OPTIONS[name](command)
        return command

    return decorate


def selector_from(
    dashboards: tuple[str, ...], reports: tuple[str, ...], names: tuple[str, ...], *, prune: bool
) -> Selector:
    """The selector the options name. --prune with one is a usage error: the file is then not
    the whole of what the source deployed, and a prune would delete the rest."""
    selector = Selector(dashboards, reports, names)
    if prune and not selector.whole:
        raise click.UsageError(
            "--prune deletes what the file lacks, and a selector leaves out the rest: give one"
        )
    return selector
