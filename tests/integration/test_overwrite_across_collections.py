"""An overwriting import matches only what its own collection holds, on the real repositories
and both databases: the same file imported into two collections gives each its own copy, and
overwriting one leaves the other byte for byte as it was."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import text

from application.use_cases.import_entities import ImportOptions
from application.use_cases.register_definition import DefinitionRequest
from domain.collection import ScopeEntry
from domain.definition import DefinitionType
from domain.json_document import JsonValue
from entrypoints.container import Container
from tests.builders.domain import TESTER
from tests.integration.test_overwrite_atomicity import EDITED, EDITED_ACTIONS, FIRST

Rows = dict[str, list[tuple[Any, ...]]]


def two_collections(container: Container) -> tuple[str, str]:
    """Collections A and B, each allowed the invoice process; its definition registered."""
    container.register_definition()(
        DefinitionRequest(type="process", key="invoice", name="Invoice", version="1")
    )
    ids = []
    for name in ("A", "B"):
        collection_id = container.create_collection()(name).id
        container.add_to_collection_scope()(
            collection_id, [ScopeEntry(DefinitionType.PROCESS, "invoice", (None,))]
        )
        ids.append(collection_id)
    return ids[0], ids[1]


def held_by(container: Container, collection_id: str) -> Rows:
    """Every row of the collection's reports and dashboards, every column, as stored."""
    queries = {
        "report": "SELECT * FROM report WHERE collection_id = :c ORDER BY id",
        "combined_report_child": "SELECT k.* FROM combined_report_child k JOIN report r "
        "ON r.id = k.combined_id WHERE r.collection_id = :c ORDER BY k.combined_id, k.position",
        "dashboard": "SELECT * FROM dashboard WHERE collection_id = :c ORDER BY id",
        "dashboard_tile": "SELECT t.* FROM dashboard_tile t JOIN dashboard d "
        "ON d.id = t.dashboard_id WHERE d.collection_id = :c ORDER BY t.dashboard_id, t.position",
    }
    with container.engine().connect() as connection:
        return {
            table: [tuple(row) for row in connection.execute(text(query), {"c": collection_id})]
            for table, query in queries.items()
        }


def overwrite(container: Container, collection_id: str, document: list[Any]) -> list[Any]:
    items = container.import_entities()(
        collection_id, lambda: document, ImportOptions(overwrite=True), actor=TESTER
    )
    return [i.action for i in items]


def test_overwriting_one_of_two_collections_that_hold_one_file_leaves_the_other_as_it_was(
    container: Container,
) -> None:
    a, b = two_collections(container)
    assert overwrite(container, a, FIRST) == ["created"] * 5
    assert overwrite(container, b, FIRST) == ["created"] * 5
    b_before = held_by(container, b)
    assert overwrite(container, a, EDITED) == EDITED_ACTIONS
    assert held_by(container, b) == b_before
    a_after = held_by(container, a)
    assert overwrite(container, b, EDITED) == EDITED_ACTIONS
    assert held_by(container, a) == a_after
    assert overwrite(container, a, EDITED) == ["unchanged"] * 7
    assert overwrite(container, b, EDITED) == ["unchanged"] * 7


def test_an_entity_only_the_other_collection_holds_is_created_not_taken_from_there(
    container: Container,
) -> None:
    """A holds part of the file, B all of it: what A lacks can only be matched in B, so a
    match that crossed collections could not go unseen."""
    a, b = two_collections(container)
    part = [e for e in FIRST if isinstance(e, dict) and e["id"] in ("r2", "d2")]
    assert overwrite(container, a, part) == ["created"] * 2
    assert overwrite(container, b, FIRST) == ["created"] * 5
    b_before = held_by(container, b)
    # EDITED: r1 renamed, r2 as it was, r3 new, k, d1, d2 renamed, d3 new.
    actions = ["created", "unchanged", "created", "created", "created", "updated", "created"]
    assert overwrite(container, a, EDITED) == actions
    assert held_by(container, b) == b_before
    assert len(held_by(container, a)["report"]) == 4
    assert len(held_by(container, a)["dashboard"]) == 3


def test_a_file_naming_the_other_collections_ids_creates_copies_and_leaves_those_alone(
    container: Container,
) -> None:
    """A file exported from B carries B's IDs; overwriting A with it matches none of them,
    since A neither holds those IDs nor was imported from them."""
    a, b = two_collections(container)
    items = container.import_entities()(
        b, lambda: FIRST, ImportOptions(overwrite=True), actor=TESTER
    )
    b_before = held_by(container, b)
    exported_from_b = with_ids(FIRST, {i.source_id: str(i.id) for i in items})
    assert overwrite(container, a, exported_from_b) == ["created"] * 5
    assert held_by(container, b) == b_before
    stored = {row[0] for row in held_by(container, a)["report"]}
    assert stored.isdisjoint({i.id for i in items})


def with_ids(document: list[JsonValue], new_ids: dict[str, str]) -> list[JsonValue]:
    """The file as the collection that stored it under `new_ids` exports it."""
    renamed: list[JsonValue] = []
    entity: Any
    for entity in copy.deepcopy(document):
        entity["id"] = new_ids[str(entity["id"])]
        for tile in entity.get("tiles") or []:
            if tile["id"] in new_ids:
                tile["id"] = new_ids[tile["id"]]
        data = entity.get("data")
        if entity["exportEntityType"] == "combined_report" and isinstance(data, dict):
            for child in data["reports"]:
                child["id"] = new_ids[child["id"]]
        renamed.append(entity)
    return renamed
