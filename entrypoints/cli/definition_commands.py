from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from application.use_cases.register_definition import DefinitionRequest
from domain.definition import Definition
from entrypoints.cli.context import with_container
from entrypoints.cli.failures import run

if TYPE_CHECKING:
    from entrypoints.container import Container

_TYPE_BY_SUFFIX = {".bpmn": "process", ".dmn": "decision"}
_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group()
def definitions() -> None:
    """Tell boardport which process and decision definitions exist (it has no engine)."""


@definitions.command("add")
@click.argument("xml_file", type=_FILE)
@click.option("--version", help="Version to register (default: the next one for its key).")
@click.option("--tenant", help="The tenant it belongs to (default: none).")
@click.option(
    "--type",
    "definition_type",
    type=click.Choice(["process", "decision"]),
    help="Needed only when the file ends neither in .bpmn nor in .dmn.",
)
@with_container
def add(
    container: Container,
    xml_file: Path,
    version: str | None,
    tenant: str | None,
    definition_type: str | None,
) -> None:
    """Register the definition in a BPMN or DMN file; key and name are read from the XML."""
    kind = definition_type or _TYPE_BY_SUFFIX.get(xml_file.suffix.lower())
    if kind is None:
        raise click.UsageError(f"cannot tell the type of {xml_file}: pass --type process|decision")
    try:
        xml = xml_file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise click.UsageError(f"{xml_file} is not UTF-8 text (byte {error.start})") from None
    request = DefinitionRequest(type=kind, xml=xml, version=version, tenant_id=tenant)
    click.echo(_line(run(lambda: container.register_definition()(request))))


@definitions.command("list")
@with_container
def list_all(container: Container) -> None:
    """Print every registered definition version."""
    for definition in run(container.list_definitions()):
        click.echo(_line(definition))


@definitions.command("from-export")
@click.argument("export_file", type=_FILE)
@click.option(
    "--collection", "collection_id", help="Also put the definitions in this collection's scope."
)
@with_container
def from_export(container: Container, export_file: Path, collection_id: str | None) -> None:
    """Register every definition the reports of an export file name, with the XML they carry,
    and (with --collection) add them to a collection's scope: the one step that makes a target
    ready for the file."""
    prepared = run(
        lambda: container.prepare_for_import()(
            container.read_import_file()(export_file.read_bytes()), collection_id
        )
    )
    for definition in prepared.registered:
        click.echo(f"registered {_line(definition)}")
    click.echo(f"{len(prepared.registered)} definition version(s) registered")
    if prepared.collection is not None:
        scope = ", ".join(e.id for e in prepared.collection.scope)
        click.echo(f"collection {prepared.collection.id} scope: {scope}")


def _line(definition: Definition) -> str:
    tenant = definition.tenant_id if definition.tenant_id is not None else "-"
    xml = "with XML" if definition.xml is not None else "no XML"
    return (
        f"{definition.type.value}\t{definition.key}\tversion {definition.version}\t"
        f"tenant {tenant}\t{definition.name or ''}\t{xml}"
    )
