from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import click

from application.ports.export import Export, ExportRequest, ExportTarget
from domain.export_format.losses import LossesRefused
from domain.export_format.releases import RELEASES
from entrypoints.cli.context import with_container
from entrypoints.cli.failures import run

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
    target = run(lambda: ExportTarget.named(target_version, allow_loss=allow_loss))
    request = ExportRequest.of("dashboards", dashboard_ids, target)
    run(lambda: asyncio.run(_save(container.export_uncached(), request, output)))


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
    target = run(lambda: ExportTarget.named(target_version, allow_loss=allow_loss))
    request = ExportRequest.of("reports", report_ids, target)
    run(lambda: asyncio.run(_save(container.export_uncached(), request, output)))


async def _save(export: Export, request: ExportRequest, output: Path | None) -> None:
    """The export's answer, as it comes, on standard output or in the file; what it lost, and
    how many entities it wrote to a file, on standard error."""
    try:
        answer = await export.answer(request)
    except LossesRefused as refused:
        raise LossesRefused(refused.release, refused.losses, hint=_LOSS_HINT) from None
    try:
        for entity_losses in answer.losses:
            click.echo(f"lost in {request.target.release.name}: {entity_losses}", err=True)
        with _opened(output) as sink:
            async for block in answer:
                sink.write(block)
    finally:
        await answer.aclose()
    if output is not None:
        click.echo(f"wrote {answer.entities} entities to {output}", err=True)


_LOSS_HINT = "--allow-loss writes it without these."


@contextmanager
def _opened(output: Path | None) -> Iterator[BinaryIO]:
    if output is None:
        stdout = sys.stdout.buffer
        yield stdout
        stdout.write(b"\n")
        stdout.flush()
        return
    with output.open("wb") as file:
        yield file
