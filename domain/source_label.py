"""The `source` label of a deploy (PUBLIC_API.md §4): where the file comes from, the source
server's URL and collection. The target records it with each origin, so that an overwrite or a
prune touches only what the same source deployed."""

from __future__ import annotations

import hashlib

LONGEST = 200
"""The contract's bound on a label."""
_DIGEST = 16


def source_label(server_url: str, collection_id: str) -> str:
    """`<server URL> <collection id>`, in printable characters; one longer than the contract
    allows keeps its start and ends in a digest of the whole, so it still names one source."""
    text = f"{server_url.rstrip('/')} {collection_id}"
    label = "".join(c if c.isprintable() else "?" for c in text)
    if len(label) <= LONGEST and label == text:
        return label
    digest = hashlib.sha256(text.encode()).hexdigest()[:_DIGEST]
    return f"{label[: LONGEST - _DIGEST - 1]} {digest}"
