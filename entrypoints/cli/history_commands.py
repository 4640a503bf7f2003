"""History on the command line (PUBLIC_API.md §4 "History"): `history`, `show`, `diff` and
`revert`, each on this database (a revert written as `cli:<login name>`) or, with --from, on
another boardport with the client's credentials (BOARDPORT_SOURCE_*, as `list --from`). Lines
on a terminal (history_output), the API's JSON with --json. Exit 0 on success, 1 on an error,
2 on a usage error."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
import msgspec

from application.ports.history_server import HistoryServer
from application.use_cases.browse_history import MAX_LIMIT
from domain.history import EntityKey, HistoryEntityType
from entrypoints.cli.client_options import client_options
from entrypoints.cli.client_output import PlainProgress
from entrypoints.cli.client_support import client_container, remote_settings
from entrypoints.cli.context import closing_database, container_from_environment
from entrypoints.cli.failures import described, fail
from entrypoints.cli.history_output import (
    changes_lines,
    conflict_lines,
    diff_lines,
    revert_lines,
    revisions_lines,
)
from entrypoints.cli.local_history import LocalHistory
from entrypoints.remote_settings import Role
from entrypoints.wire.history import ChangeOut, RevisionDiffOut, RevisionOut, history_json
from entrypoints.wire.import_answer import import_answer

KINDS = click.Choice(["report", "dashboard"])
DEFAULT_LIMIT = 50
REVERT_CONFLICT = "revertConflict"


@contextmanager
def history_of(source_url: str | None, ca_cert: str | None) -> Iterator[HistoryServer]:
    """This database's history, or the one of the server --from names."""
    if source_url is None:
        with closing_database(container_from_environment()) as container:
            yield LocalHistory(container)
        return
    settings = remote_settings(Role.SOURCE, source_url, ca_cert, single=True)
    yield client_container(PlainProgress(quiet=True), 1, source=settings).history()


@contextmanager
def answering(*, as_json: bool) -> Iterator[None]:
    """Every failure reported as every command reports it (cli/failures.py), but a refused
    revert names on a terminal each entity a later change touched, and the way past it."""
    try:
        yield
    except Exception as error:
        failure = described(error)
        if failure is None:
            raise
        if failure.error_code == REVERT_CONFLICT and not as_json:
            for line in conflict_lines(failure.detailed_message, failure.extra, failure.server):
                click.echo(line, err=True)
            sys.exit(1)
        fail(failure, as_json=as_json)


def echo_document(document: bytes) -> None:
    click.echo(msgspec.json.format(document, indent=2).decode())


def echo_lines(lines: list[str]) -> None:
    for line in lines:
        click.echo(line)


def entity_key(kind: str, entity_id: str) -> EntityKey:
    entity_type: HistoryEntityType = "report" if kind == "report" else "dashboard"
    return EntityKey(entity_type, entity_id)


@click.command("history")
@click.argument("kind", required=False, type=KINDS)
@click.argument("entity_id", metavar="[ID]", required=False)
@click.option("--collection", "collection_id", help="Only the changes of this collection.")
@click.option(
    "--limit",
    type=click.IntRange(1, MAX_LIMIT),
    help=f"At most this many changes, the newest  [default: {DEFAULT_LIMIT}]",
)
@client_options("from-boardport", "json", "ca-cert")
def history(
    *,
    kind: str | None,
    entity_id: str | None,
    collection_id: str | None,
    limit: int | None,
    source_url: str | None,
    ca_cert: str | None,
    as_json: bool,
) -> None:
    """The changes, newest first (each write: an import, a delete, a revert); or, given
    `report ID` or `dashboard ID`, that entity's revisions, a deleted one's too."""
    if kind is not None and entity_id is None:
        raise click.UsageError(f"name the {kind}: history {kind} ID")
    if kind is not None and (collection_id is not None or limit is not None):
        raise click.UsageError("--collection and --limit list changes: not with an entity")
    with answering(as_json=as_json), history_of(source_url, ca_cert) as server:
        if kind is not None and entity_id is not None:
            key = entity_key(kind, entity_id)
            revisions = server.revisions(key)
            if as_json:
                echo_document(history_json([RevisionOut.of(r) for r in revisions]))
            else:
                echo_lines(revisions_lines(key, revisions))
            return
        changes = server.changes(collection_id, limit or DEFAULT_LIMIT)
    if as_json:
        echo_document(history_json([ChangeOut.of(c) for c in changes]))
    else:
        echo_lines(changes_lines(changes, collection_id))


@click.command("show")
@click.argument("kind", type=KINDS)
@click.argument("entity_id", metavar="ID")
@click.option("--revision", "number", type=click.IntRange(min=1), required=True, help="Its number.")
@client_options("from-boardport", "json", "ca-cert")
def show(
    kind: str, entity_id: str, number: int, source_url: str | None, ca_cert: str | None, *,
    as_json: bool,
) -> None:  # fmt: skip
    """A report or dashboard as it was at a revision: an export entity, which any import takes
    (--json: exactly as the API sends it, on one line)."""
    with answering(as_json=as_json), history_of(source_url, ca_cert) as server:
        text = server.revision(entity_key(kind, entity_id), number)
    if as_json:
        click.echo(text.decode())
    else:
        echo_document(text)


@click.command("diff")
@click.argument("kind", type=KINDS)
@click.argument("entity_id", metavar="ID")
@click.argument("number", metavar="N", type=click.IntRange(min=1))
@click.argument("to", metavar="[M]", type=click.IntRange(min=1), required=False)
@client_options("from-boardport", "json", "ca-cert")
def diff(
    *,
    kind: str,
    entity_id: str,
    number: int,
    to: int | None,
    source_url: str | None,
    ca_cert: str | None,
    as_json: bool,
) -> None:
    """What changed in a report or dashboard from revision N to revision M (the current one
    when M is not given), in the words of `boardport plan`."""
    key = entity_key(kind, entity_id)
    with answering(as_json=as_json), history_of(source_url, ca_cert) as server:
        changes = server.diff(key, number, to)
    if as_json:
        echo_document(history_json(RevisionDiffOut.of(changes)))
    else:
        echo_lines(diff_lines(key, number, to, changes))


@click.command("revert")
@click.argument("change_id")
@click.option("--dry-run", is_flag=True, help="Say what the revert would do; write nothing.")
@click.option(
    "--force",
    is_flag=True,
    help="Restore the change's entities even when a later change touched them (which undoes "
    "that change for them).",
)
@client_options("from-boardport", "json", "ca-cert")
def revert(
    change_id: str, source_url: str | None, ca_cert: str | None, *, dry_run: bool, force: bool,
    as_json: bool,
) -> None:  # fmt: skip
    """Undo one change in one transaction: what it created is deleted, what it updated gets
    back its revision from before, what it deleted comes back with its ID and its places. The
    revert is a change of its own, which can be reverted in turn. Refused (revertConflict)
    when a later change touched one of its entities, unless --force."""
    with answering(as_json=as_json), history_of(source_url, ca_cert) as server:
        items = server.revert(change_id, dry_run=dry_run, force=force)
    if as_json:
        echo_document(import_answer(items))
    else:
        echo_lines(revert_lines(change_id, items, dry_run=dry_run))
