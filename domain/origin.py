"""Where an imported entity came from: its ID in the file (its source ID) and the import's
`source` label. An overwrite finds what a source deployed by its origin; a prune deletes what a
source deployed that its file no longer has. Entities without an origin, or with another
label, are never matched or pruned."""

from __future__ import annotations

from collections.abc import Iterable

from domain.errors import BadRequest
from domain.overwrite import StoredOrigin

NO_LABEL = ""
"""The label of an import sent without `source`: it matches only imports without one."""
MAX_LABEL_LENGTH = 200


def source_label(text: str | None) -> str:
    """The `source` parameter as a label: 1 to 200 printable characters, or none at all."""
    if text is None:
        return NO_LABEL
    if not 1 <= len(text) <= MAX_LABEL_LENGTH or not text.isprintable():
        raise BadRequest(
            f"The parameter 'source' must be 1 to {MAX_LABEL_LENGTH} printable characters; "
            f"it has {len(text)}{'' if text.isprintable() else ', some not printable'}."
        )
    return text


def pruned(sourced: Iterable[StoredOrigin], file_ids: frozenset[str]) -> tuple[StoredOrigin, ...]:
    """What a source deployed into a collection that its file no longer has: the entities of
    `sourced` (the collection's entities with the source's label) whose source ID is not in
    the file, in a stable order: dashboards first, then reports, each by source ID."""
    gone = [o for o in sourced if o.source_id is not None and o.source_id not in file_ids]
    return tuple(sorted(gone, key=lambda o: (o.entity_type.is_report, o.source_id, o.id)))
