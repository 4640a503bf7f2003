"""What pull, push, migrate and list print: a progress line per phase on a terminal, plain
lines without one, the summary's counts only with --quiet, one JSON document with --json.
Every progress counts the waits before a retry, for the summary."""

from __future__ import annotations

import json
import sys
from typing import IO, Any

import click

from application.deploy.delivery import Delivery

ERASE_LINE_END = "\x1b[K"


class TerminalProgress:
    """One line per phase, rewritten in place as it advances, on stderr; a wait is said at
    the end of the line until the phase goes on."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self._stream = stream or sys.stderr
        self._name: str | None = None
        self._total: int | None = None
        self._done = 0
        self._waiting = ""
        self.retries = 0

    def phase(self, name: str, total: int | None = None) -> None:
        self.finish()
        self._name, self._total, self._done = name, total, 0
        self._draw()

    def advance(self, count: int = 1) -> None:
        self._done += count
        self._waiting = ""
        self._draw()

    def note(self, text: str) -> None:
        if self._name is not None:
            self._stream.write("\n")
        self._stream.write(f"note: {text}\n")
        self._draw()

    def waiting(self, text: str) -> None:
        self.retries += 1
        self._waiting = text
        if self._name is None:
            self._stream.write(f"{text}\n")
        self._draw()

    def finish(self) -> None:
        if self._name is not None:
            self._draw()
            self._stream.write("\n")
            self._stream.flush()
        self._name, self._waiting = None, ""

    def _draw(self) -> None:
        if self._name is None:
            return
        if self._total:
            width = 24
            filled = min(width, width * self._done // self._total)
            bar = "#" * filled + "-" * (width - filled)
            text = f"{self._name:<8} [{bar}] {self._done}/{self._total}"
        else:
            text = f"{self._name:<8} {self._done}"
        if self._waiting:
            text += f"  {self._waiting}"
        self._stream.write(f"\r{text}{ERASE_LINE_END}")
        self._stream.flush()


class PlainProgress:
    """A line when a phase ends, for each note and for each wait, on stderr; nothing
    rewritten. Quiet: nothing at all (the summary's counts say it)."""

    def __init__(self, *, quiet: bool, stream: IO[str] | None = None) -> None:
        self._stream = stream or sys.stderr
        self.quiet = quiet
        self._name: str | None = None
        self._done = 0
        self.retries = 0

    def phase(self, name: str, total: int | None = None) -> None:  # noqa: ARG002
        self.finish()
        self._name, self._done = name, 0

    def advance(self, count: int = 1) -> None:
        self._done += count

    def note(self, text: str) -> None:
        if not self.quiet:
            self._stream.write(f"note: {text}\n")

    def waiting(self, text: str) -> None:
        self.retries += 1
        if not self.quiet:
            self._stream.write(f"{text}\n")

    def finish(self) -> None:
        if self._name is not None and not self.quiet:
            self._stream.write(f"{self._name}: {self._done}\n")
        self._name = None


class JsonProgress(PlainProgress):
    """Notes and waits are kept for the JSON document; nothing is written as the run goes."""

    def __init__(self) -> None:
        super().__init__(quiet=True)
        self.notes: list[str] = []
        self.waits: list[str] = []

    def note(self, text: str) -> None:
        self.notes.append(text)

    def waiting(self, text: str) -> None:
        super().waiting(text)
        self.waits.append(text)


def delivery_document(delivery: Delivery, id_map: dict[str, str], retries: int) -> dict[str, Any]:
    return {
        "target": delivery.target,
        "collection": delivery.collection_id,
        "targetKind": delivery.target_kind.value,
        "converging": delivery.converging,
        "dryRun": delivery.dry_run,
        "sent": delivery.sent,
        "entities": delivery.entities,
        "counts": delivery.counts(),
        "retries": retries,
        "idMap": id_map,
        "deleted": [
            {"id": i.id, "entityType": i.entity_type, "sourceId": i.source_id}
            for i in delivery.items
            if i.action == "deleted"
        ],
        "registeredDefinitions": [
            {"type": d.type.value, "key": d.key, "version": d.version, "tenantId": d.tenant_id}
            for d in delivery.registered
        ],
        "convertedTo": delivery.converted_to,
        "losses": list(delivery.losses),
        "notes": list(delivery.notes),
    }


def counts_line(delivery: Delivery, retries: int) -> str:
    counts = delivery.counts()
    return (
        "created {created}  updated {updated}  unchanged {unchanged}  deleted {deleted}".format(
            **counts
        )
        + f"  retries {retries}"
    )


def echo_summary(delivery: Delivery, retries: int, id_map_file: str | None) -> None:
    if not delivery.sent:
        click.echo(f"nothing sent to {delivery.collection_id} at {delivery.target}; it would:")
    else:
        what = "checked (dry run)" if delivery.dry_run else "imported"
        how = "converging" if delivery.converging else "as new entities"
        click.echo(
            f"{what} {delivery.entities} entities into {delivery.collection_id} at "
            f"{delivery.target}, {how}"
            + (f" (converted to release {delivery.converted_to})" if delivery.converted_to else "")
        )
    if delivery.registered:
        click.echo(f"registered {len(delivery.registered)} definition version(s) first")
    click.echo(f"  {counts_line(delivery, retries)}")
    if id_map_file is not None and not delivery.dry_run:
        click.echo(f"  source id -> target id: {id_map_file}")


def echo_json(document: object) -> None:
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))
