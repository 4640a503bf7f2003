from __future__ import annotations

from pathlib import Path

import click

from domain.export import EntityExport
from entrypoints.cli.context import container_from_environment, disposing, run
from entrypoints.wire.export_json import export_json

_OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the JSON to this file instead of standard output.",
)


@click.group()
def export() -> None:
    """Write the same JSON as the export API, from the configured database."""


@export.command("dashboards")
@click.argument("dashboard_ids", nargs=-1, required=True)
@_OUTPUT
def export_dashboards(dashboard_ids: tuple[str, ...], output: Path | None) -> None:
    """Export dashboards with every report they contain."""
    with disposing(container_from_environment()) as container:
        result = run(lambda: container.export_dashboards()(dashboard_ids))
    _write(result, output)


@export.command("reports")
@click.argument("report_ids", nargs=-1, required=True)
@_OUTPUT
def export_reports(report_ids: tuple[str, ...], output: Path | None) -> None:
    """Export reports, each combined report with its children."""
    with disposing(container_from_environment()) as container:
        result = run(lambda: container.export_reports()(report_ids))
    _write(result, output)


def _write(result: EntityExport, output: Path | None) -> None:
    payload = export_json(result)
    if output is None:
        click.echo(payload.decode())
    else:
        output.write_bytes(payload)
        click.echo(f"wrote {len(result)} entities to {output}", err=True)
