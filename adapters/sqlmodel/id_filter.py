from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY


def id_among(column: Any, ids: Collection[str], dialect: str) -> ColumnElement[bool]:
    """`column IN ids` with the whole ID set bound as one parameter, so that a query for ten
    thousand IDs is one short statement on either database."""
    if dialect == "postgresql":
        return column == any_(bindparam("ids", list(ids), type_=ARRAY(String), unique=True))  # type: ignore[no-any-return]
    if dialect == "sqlite":
        encoded = bindparam("ids", json.dumps(list(ids)), type_=String, unique=True)
        each = func.json_each(encoded).table_valued("value")
        return column.in_(select(each.c.value))  # type: ignore[no-any-return]
    return column.in_(list(ids))  # type: ignore[no-any-return]
