from __future__ import annotations

from pathlib import Path

import click

from adapters.msgspec_codec import MsgspecCodec
from domain.export_format.file_conversion import ConvertedEntity, convert_file, entities_of
from domain.export_format.releases import RELEASES, release_named
from entrypoints.cli.context import load_settings
from entrypoints.cli.failures import run
from entrypoints.wire.import_body import ImportFileReader

_RELEASE = click.Choice(list(RELEASES))


@click.command("convert")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "to_release", type=_RELEASE, required=True, help="The release to write for.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the JSON to this file instead of standard output.",
)
@click.option(
    "--allow-loss",
    is_flag=True,
    help="Write what the older format can hold instead of refusing; the losses are listed.",
)
def convert(file: Path, to_release: str, output: Path | None, *, allow_loss: bool) -> None:
    """Convert an export file, written by any Optimize from 3.3 on, to another release's format.
    Offline: no database, no server. A summary per entity goes to standard error."""
    release = release_named(to_release)
    read = ImportFileReader(load_settings().max_json_depth)
    converted = run(lambda: convert_file(read(file.read_bytes()), release, allow_loss=allow_loss))
    _summarize(converted)
    payload = MsgspecCodec().encode(entities_of(converted))
    if output is None:
        click.echo(payload.decode())
    else:
        output.write_bytes(payload)
        click.echo(f"wrote {len(converted)} entities to {output}", err=True)


def _summarize(converted: list[ConvertedEntity]) -> None:
    for entity in converted:
        click.echo(entity.summary, err=True)
