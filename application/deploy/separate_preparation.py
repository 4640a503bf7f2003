"""Preparing an earlier boardport (one that does not say X-Boardport-Version, whose import does
not prepare): the definitions the file needs registered with their XML, and the collection's
scope widened, by calls of their own before the import. A boardport of now does both in the
import's own transaction (`prepare=true`), dry run included."""

from __future__ import annotations

from collections.abc import Callable

from application.outgoing_file import OutgoingFile
from application.ports.optimize_server import OptimizeServer
from application.ports.progress import Progress
from domain.definition import Definition


def prepare_separately(
    target: OptimizeServer,
    collection_id: str,
    outgoing: OutgoingFile,
    *,
    dry_run: bool,
    progress: Progress,
    say: Callable[[str], None],
) -> tuple[Definition, ...]:
    """The definitions registered (none in a dry run, which only says how many would be)."""
    needed = outgoing.definitions_needed
    if dry_run:
        if needed:
            say(f"dry run: {len(needed)} definition version(s) would be registered first")
        return ()
    progress.phase("prepare", len(needed))
    for definition in needed:
        target.register_definition(definition)
        progress.advance()
    if outgoing.scope_needed:
        target.widen_scope(collection_id, outgoing.scope_needed)
    return tuple(needed)
