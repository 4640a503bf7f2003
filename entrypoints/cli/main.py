from __future__ import annotations

from typing import TYPE_CHECKING

import click

from entrypoints.cli.client_commands import list_entities, migrate, pull, push
from entrypoints.cli.collection_commands import collections
from entrypoints.cli.context import cli_actor, closing_database, load_settings, with_container
from entrypoints.cli.convert_commands import convert
from entrypoints.cli.definition_commands import definitions
from entrypoints.cli.delete_commands import delete
from entrypoints.cli.export_commands import export
from entrypoints.cli.failures import reporting, run
from entrypoints.cli.history_commands import diff, history, revert, show
from entrypoints.cli.import_commands import import_file
from entrypoints.cli.plan_commands import plan
from entrypoints.settings import DEMO_TOKEN

if TYPE_CHECKING:
    from entrypoints.container import Container

# The server's modules (the database, the web framework, uvicorn) are imported inside the
# commands that use them, so that the client commands (pull, push, migrate, list --from, and
# history, show, diff and revert with --from) start without them:
# tests/unit/client/test_client_imports.py holds the client to that.


@click.group()
@click.version_option(package_name="boardport")
def cli() -> None:
    """boardport: Camunda Optimize dashboards and reports, moved safely between installations.

    Settings come from BOARDPORT_* environment variables (see the README)."""


@cli.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@with_container
def db_upgrade(container: Container) -> None:
    """Apply every migration the database lacks."""
    from adapters.sqlmodel.migrate import upgrade_database  # noqa: PLC0415 - see the top

    with reporting():
        upgrade_database(container.engine())
    click.echo("database schema is up to date")


@cli.command()
@with_container
def demo(container: Container) -> None:
    """Load the demo data (dashboards 123 and 456 and a demo collection). Idempotent."""
    from adapters.sqlmodel.migrate import upgrade_database  # noqa: PLC0415 - see the top

    with reporting():
        upgrade_database(container.engine())
        _load_demo(container)


@cli.command()
@click.option(
    "--demo",
    "demo_mode",
    is_flag=True,
    help=f"Also load the demo data, and use the token {DEMO_TOKEN} unless one is configured.",
)
def serve(*, demo_mode: bool) -> None:
    """Migrate the database, then serve the API."""
    import uvicorn  # noqa: PLC0415 - see the top

    from adapters.sqlmodel.engine import describe_database  # noqa: PLC0415
    from adapters.sqlmodel.migrate import upgrade_database  # noqa: PLC0415
    from entrypoints.container import build_container  # noqa: PLC0415
    from entrypoints.server_options import (  # noqa: PLC0415
        APP_FACTORY,
        DEMO_APP_FACTORY,
        uvicorn_options,
    )

    settings = load_settings()
    problem = settings.token_problem()
    if problem is not None and not demo_mode:
        raise click.UsageError(f"refusing to serve with a short token: {problem}")
    jwt_problem = settings.jwt_problem()
    if jwt_problem is not None:
        raise click.UsageError(f"refusing to serve: {jwt_problem}")
    access_note = "the configured API token"
    if settings.api_access_token is None and demo_mode:
        access_note = f"the demo token {DEMO_TOKEN}"
    elif settings.api_access_token is None:
        access_note = "NO API token, so every /api/public request is refused (401)"
    if settings.jwt_jwks_url is not None:
        jwts = f"JWTs for audience {settings.jwt_audience} signed by {settings.jwt_jwks_url}"
        if settings.api_access_token is None and not demo_mode:
            access_note = jwts
        else:
            access_note = f"{access_note} or {jwts}"
    with closing_database(build_container(settings)) as container, reporting():
        upgrade_database(container.engine())
        if demo_mode:
            _load_demo(container)
    click.echo(
        f"boardport serving on http://{settings.host}:{settings.port} with {access_note}; "
        f"database {describe_database(settings.database_url)}, {settings.workers} worker(s)"
    )
    uvicorn.run(DEMO_APP_FACTORY if demo_mode else APP_FACTORY, **uvicorn_options(settings))


def _load_demo(container: Container) -> None:
    from entrypoints.demo.loader import demo_seed  # noqa: PLC0415 - see the top

    result = run(lambda: container.load_seed()(demo_seed(), actor=cli_actor()))
    click.echo(f"demo data: {result.added} entities added, {result.already_present} already there")


for command in (
    export,
    import_file,
    collections,
    definitions,
    delete,
    convert,
    pull,
    push,
    migrate,
    plan,
    list_entities,
    history,
    show,
    diff,
    revert,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="boardport")
