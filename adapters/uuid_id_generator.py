from __future__ import annotations

import uuid

from application.ports.id_generator import IdGenerator


class UuidIdGenerator(IdGenerator):
    """Random UUIDs, the form Optimize gives its entities."""

    def new_id(self) -> str:
        return str(uuid.uuid4())
