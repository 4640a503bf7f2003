from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from domain.export import EntityExport
from domain.export_format.releases import RELEASES, Release, is_current, release_named
from domain.export_format.writer import EntityLosses, LossesRefused, losses_in
from entrypoints.cli.context import run, with_container
from entrypoints.wire.export_json import decode, export_json

if TYPE_CHECKING:
    from entrypoints.container import Container

_OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the JSON to this file instead of standard output.",
)
_TARGET = click.option(
    "--target-version",
    type=click.Choice(list(RELEASES)),
    default="latest",
    show_default=True,
    help="Write the format and index versions of this Optimize release.",
)
_ALLOW_LOSS = click.option(
    "--allow-loss",
    is_flag=True,
    help="With an older --target-version: write what its format can hold and list the losses.",
)


@click.group()
def export() -> None:
    """Write the same JSON as the export API, from the configured database."""


@export.command("dashboards")
@click.argument("dashboard_ids", nargs=-1, required=True)
@_OUTPUT
@_TARGET
@_ALLOW_LOSS
@with_container
def export_dashboards(
    container: Container,
    dashboard_ids: tuple[str, ...],
    output: Path | None,
    target_version: str,
    *,
    allow_loss: bool,
) -> None:
    """Export dashboards with every report they contain."""
    result = run(lambda: container.export_dashboards()(dashboard_ids))
    _write(result, output, release_named(target_version), allow_loss=allow_loss)


@export.command("reports")
@click.argument("report_ids", nargs=-1, required=True)
@_OUTPUT
@_TARGET
@_ALLOW_LOSS
@with_container
def export_reports(
    container: Container,
    report_ids: tuple[str, ...],
    output: Path | None,
    target_version: str,
    *,
    allow_loss: bool,
) -> None:
    """Export reports, each combined report with its children."""
    result = run(lambda: container.export_reports()(report_ids))
    _write(result, output, release_named(target_version), allow_loss=allow_loss)


def _write(
    result: EntityExport, output: Path | None, release: Release, *, allow_loss: bool
) -> None:
    if not is_current(release):
        losses = run(lambda: losses_in(result.entities(), release, decode))
        if losses and not allow_loss:
            run(lambda: _refuse(release, losses))
        for entity_losses in losses:
            click.echo(f"lost in {release.name}: {entity_losses}", err=True)
    payload = export_json(result, release)
    if output is None:
        click.echo(payload.decode())
    else:
        output.write_bytes(payload)
        click.echo(f"wrote {len(result)} entities to {output}", err=True)


def _refuse(release: Release, losses: list[EntityLosses]) -> None:
    raise LossesRefused(release, losses)
