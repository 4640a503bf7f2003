from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
import msgspec

from application.use_cases.import_entities import ImportOptions
from entrypoints.cli.context import cli_actor, with_container
from entrypoints.cli.failures import run
from entrypoints.runtime import collector_paused
from entrypoints.wire.import_answer import ImportedEntity

if TYPE_CHECKING:
    from entrypoints.container import Container


@click.command("import")
@click.argument("export_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--collection", "collection_id", required=True, help="The collection to import into.")
@click.option("--dry-run", is_flag=True, help="Run every check and show what would be created.")
@click.option(
    "--overwrite",
    is_flag=True,
    help="Update what an earlier import of this file created instead of creating copies.",
)
@click.option(
    "--prune",
    is_flag=True,
    help="With --overwrite: also delete what earlier imports from the same --source "
    "created that the file no longer has.",
)
@click.option("--source", help="A label for where the file comes from, kept with each origin.")
@with_container
def import_file(
    container: Container,
    export_file: Path,
    collection_id: str,
    source: str | None,
    *,
    dry_run: bool,
    overwrite: bool,
    prune: bool,
) -> None:
    """Import an export file into a collection, all or nothing. Prints the same JSON as the API:
    one item per entity with its new ID and its ID in the file (with --overwrite, also whether
    it was created, updated or unchanged)."""
    body = export_file.read_bytes()
    with collector_paused():
        items = run(
            lambda: container.import_entities()(
                collection_id,
                lambda: container.read_import_file()(body),
                ImportOptions(dry_run, overwrite, prune, source=source),
                actor=cli_actor(),
            )
        )
    answer = [ImportedEntity.of(i) for i in items]
    click.echo(msgspec.json.format(msgspec.json.encode(answer), indent=2).decode())
    verb = "would be imported (dry run, nothing written)" if dry_run else "imported"
    click.echo(f"{len(items)} entities {verb} into collection {collection_id}", err=True)
