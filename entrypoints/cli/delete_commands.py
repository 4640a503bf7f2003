from __future__ import annotations

import click

from entrypoints.cli.context import container_from_environment, disposing, run


@click.group()
def delete() -> None:
    """Delete a dashboard or a report."""


@delete.command("dashboard")
@click.argument("dashboard_id")
def delete_dashboard(dashboard_id: str) -> None:
    """Delete a dashboard; its reports stay."""
    with disposing(container_from_environment()) as container:
        run(lambda: container.delete_dashboard()(dashboard_id))
    click.echo(f"deleted dashboard {dashboard_id}")


@delete.command("report")
@click.argument("report_id")
def delete_report(report_id: str) -> None:
    """Delete a report and take it off every dashboard and combined report."""
    with disposing(container_from_environment()) as container:
        run(lambda: container.delete_report()(report_id))
    click.echo(f"deleted report {report_id}")
