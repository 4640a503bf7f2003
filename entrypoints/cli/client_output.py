"""What pull, push, migrate and list print: a progress line per phase on a terminal, plain
lines without one (or with --quiet), one JSON document with --json."""

from __future__ import annotations

import json
import sys
from typing import IO, Any

import click

from application.delivery import Delivery


class TerminalProgress:
    """One line per phase, rewritten in place as it advances, on stderr."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self._stream = stream or sys.stderr
        self._name: str | None = None
        self._total: int | None = None
        self._done = 0

    def phase(self, name: str, total: int | None = None) -> None:
        self.finish()
        self._name, self._total, self._done = name, total, 0
        self._draw()

    def advance(self, count: int = 1) -> None:
        self._done += count
        self._draw()

    def note(self, text: str) -> None:
        if self._name is not None:
            self._stream.write("\n")
        self._stream.write(f"note: {text}\n")
        self._draw()

    def finish(self) -> None:
        if self._name is not None:
            self._draw()
            self._stream.write("\n")
            self._stream.flush()
        self._name = None

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
        self._stream.write(f"\r{text}")
        self._stream.flush()


class PlainProgress:
    """A line when a phase ends and for each note, on stderr; nothing rewritten."""

    def __init__(self, *, quiet: bool, stream: IO[str] | None = None) -> None:
        self._stream = stream or sys.stderr
        self._quiet = quiet
        self._name: str | None = None
        self._done = 0

    def phase(self, name: str, total: int | None = None) -> None:  # noqa: ARG002
        self.finish()
        self._name, self._done = name, 0

    def advance(self, count: int = 1) -> None:
        self._done += count

    def note(self, text: str) -> None:
        self._stream.write(f"note: {text}\n")

    def finish(self) -> None:
        if self._name is not None and not self._quiet:
            self._stream.write(f"{self._name}: {self._done}\n")
        self._name = None


class JsonProgress(PlainProgress):
    """Notes are kept for the JSON document; nothing is written as the run goes."""

    def __init__(self) -> None:
        super().__init__(quiet=True)
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        self.notes.append(text)


def delivery_document(delivery: Delivery, id_map: dict[str, str]) -> dict[str, Any]:
    return {
        "target": delivery.target,
        "collection": delivery.collection_id,
        "targetIsBoardport": delivery.target_is_boardport,
        "dryRun": delivery.dry_run,
        "sent": delivery.sent,
        "entities": delivery.entities,
        "counts": delivery.counts(),
        "idMap": id_map,
        "registeredDefinitions": [
            {"type": d.type.value, "key": d.key, "version": d.version, "tenantId": d.tenant_id}
            for d in delivery.registered
        ],
        "convertedTo": delivery.converted_to,
        "losses": list(delivery.losses),
        "notes": list(delivery.notes),
    }


def echo_summary(delivery: Delivery, id_map: dict[str, str], deleted: tuple[str, ...] = ()) -> None:
    counts = delivery.counts()
    what = "checked (dry run)" if delivery.dry_run else "imported"
    if not delivery.sent:
        click.echo(f"nothing imported into {delivery.collection_id} at {delivery.target}")
        return
    click.echo(
        f"{what} {delivery.entities} entities into {delivery.collection_id} at {delivery.target}"
        + (f" (converted to release {delivery.converted_to})" if delivery.converted_to else "")
    )
    if delivery.registered:
        click.echo(f"registered {len(delivery.registered)} definition version(s) first")
    click.echo(
        "  created {created}  updated {updated}  unchanged {unchanged}  failed {failed}".format(
            **counts
        )
    )
    if deleted:
        click.echo(f"  deleted {len(deleted)} entities of the previous push")
    if id_map and not delivery.dry_run:
        click.echo("  source id -> target id")
        width = max(len(s) for s in id_map)
        for source, target in id_map.items():
            click.echo(f"  {source:<{width}} -> {target}")


def echo_json(document: object) -> None:
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))
