from __future__ import annotations

from typing import TYPE_CHECKING

import click

from entrypoints.cli.context import cli_actor, with_container
from entrypoints.cli.failures import run

if TYPE_CHECKING:
    from entrypoints.container import Container


@click.group()
def delete() -> None:
    """Delete a dashboard or a report."""


@delete.command("dashboard")
@click.argument("dashboard_id")
@with_container
def delete_dashboard(container: Container, dashboard_id: str) -> None:
    """Delete a dashboard; its reports stay."""
    run(lambda: container.delete_dashboard()(dashboard_id, actor=cli_actor()))
    click.echo(f"deleted dashboard {dashboard_id}")


@delete.command("report")
@click.argument("report_id")
@with_container
def delete_report(container: Container, report_id: str) -> None:
    """Delete a report and take it off every dashboard and combined report."""
    run(lambda: container.delete_report()(report_id, actor=cli_actor()))
    click.echo(f"deleted report {report_id}")
