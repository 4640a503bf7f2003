"""Import files between the dry run and the confirm: uploaded once, kept in the database for a
while (so the confirm may reach another worker), for the session that sent them."""

from __future__ import annotations

from datetime import timedelta

from application.ports.web_state import PendingImport, PendingImports

PENDING_LIFETIME = timedelta(minutes=15)
MAX_PENDING_BYTES = 256 * 1024 * 1024
"""All waiting files together, whichever worker kept them; past it the oldest go first."""


class WaitingImports:
    def __init__(
        self,
        store: PendingImports,
        lifetime: timedelta = PENDING_LIFETIME,
        max_bytes: int = MAX_PENDING_BYTES,
    ) -> None:
        self._store = store
        self._lifetime = lifetime
        self._max_bytes = max_bytes

    @property
    def lifetime(self) -> timedelta:
        return self._lifetime

    def keep(
        self,
        session_id: str,
        collection_id: str,
        file_name: str,
        content: bytes,
        *,
        overwrite: bool = False,
        prune: bool = False,
    ) -> str:
        """Keeps a file (and how it is to be imported); answers the key its confirm step names."""
        return self._store.keep(
            session_id,
            collection_id,
            file_name,
            content,
            overwrite=overwrite,
            prune=prune,
            lifetime=self._lifetime,
            max_bytes=self._max_bytes,
        )

    def take(self, key: str, session_id: str) -> PendingImport | None:
        """The file kept under `key` for this session, forgotten as it is taken."""
        return self._store.take(key, session_id)
