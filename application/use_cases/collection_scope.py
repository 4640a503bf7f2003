from __future__ import annotations

from domain.errors import BadRequest

MISSING_COLLECTION_ID = "Must specify a collection ID for this request."


def required_collection_id(collection_id: str | None) -> str:
    """The contract's answer to a request that names no collection."""
    if not collection_id:
        raise BadRequest(MISSING_COLLECTION_ID)
    return collection_id
