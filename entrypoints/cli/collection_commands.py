from __future__ import annotations

from typing import TYPE_CHECKING

import click

from domain.collection import Collection, ScopeEntry
from domain.definition import DefinitionType
from entrypoints.cli.context import with_container
from entrypoints.cli.failures import run

if TYPE_CHECKING:
    from entrypoints.container import Container


@click.group()
def collections() -> None:
    """Create collections, list them, and say which definitions they may hold."""


@collections.command("create")
@click.argument("name")
@click.option("--owner", help="The owner's user ID, kept as Optimize keeps it.")
@with_container
def create(container: Container, name: str, owner: str | None) -> None:
    """Create an empty collection and print its ID."""
    collection = run(lambda: container.create_collection()(name, owner))
    click.echo(collection.id)


@collections.command("list")
@with_container
def list_all(container: Container) -> None:
    """Print every collection: ID, name, and the definitions in its scope."""
    for collection in run(container.list_collections()):
        click.echo(f"{collection.id}\t{collection.name}\t{_scope_text(collection)}")


@collections.command("scope")
@click.argument("collection_id")
@click.option("--process", "processes", multiple=True, help="A process definition key.")
@click.option("--decision", "decisions", multiple=True, help="A decision definition key.")
@click.option(
    "--tenant",
    "tenants",
    multiple=True,
    help="A tenant the definitions may be used for; repeat for several. None: no tenant.",
)
@with_container
def scope(
    container: Container,
    collection_id: str,
    processes: tuple[str, ...],
    decisions: tuple[str, ...],
    tenants: tuple[str, ...],
) -> None:
    """Add process and decision definitions to a collection's scope."""
    if not processes and not decisions:
        raise click.UsageError("name at least one definition with --process or --decision")
    chosen: tuple[str | None, ...] = tenants or (None,)
    entries = [ScopeEntry(DefinitionType.PROCESS, key, chosen) for key in processes] + [
        ScopeEntry(DefinitionType.DECISION, key, chosen) for key in decisions
    ]
    collection = run(lambda: container.add_to_collection_scope()(collection_id, entries))
    click.echo(f"{collection.id}\t{collection.name}\t{_scope_text(collection)}")


def _scope_text(collection: Collection) -> str:
    return (
        ", ".join(
            f"{e.id} [{', '.join('null' if t is None else t for t in e.tenants)}]"
            for e in collection.scope
        )
        or "(empty scope)"
    )
