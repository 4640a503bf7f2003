from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Collection:
    id: str
    name: str
    owner_id: str | None
    created: datetime
