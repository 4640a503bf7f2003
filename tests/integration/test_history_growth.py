"""What history costs in storage, on both databases: a hundred overwrites of the demo
collection, each a small deploy (one report renamed and a label of its data changed, a
different report each time), grow the database by less than twice what one copy of the collection's
entities takes, because a revision keeps only what changed apart: the definition XML and
unchanged data are stored once, by hash, and compressed."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy import text

from adapters.sqlmodel.history_repository import RECORD_BATCH
from adapters.sqlmodel.mappers import stored_text
from application.history_recording import record_change
from application.use_cases.import_entities import ImportOptions
from domain.entity_type import EntityType
from domain.history import EntityKey, Touch
from domain.json_document import DerivedDocument
from domain.report import Report
from entrypoints.container import Container
from entrypoints.demo.loader import demo_seed
from tests.builders.domain import TESTER
from tests.builders.wire import process_report_data
from tests.e2e.importing import DEMO_COLLECTION, DEMO_FOLDER

DEMO_FILE: list[Any] = json.loads((DEMO_FOLDER / "demo_entities.json").read_text(encoding="utf-8"))
OVERWRITES = 100
HISTORY_RELATIONS = text(
    "SELECT coalesce(sum(pg_relation_size(c.oid, 'main')), 0) FROM pg_class c "
    "WHERE c.relname LIKE 'history%' OR c.relname LIKE 'ix_history%' OR c.oid IN "
    "(SELECT reltoastrelid FROM pg_class WHERE relname LIKE 'history%')"
)

XML_KEPT = text(
    "SELECT count(*), count(DISTINCT xml_hash) FROM history_revision WHERE xml_hash IS NOT NULL"
)


def stored_bytes(container: Container) -> int:
    """SQLite: the database's pages. PostgreSQL: the history tables', their indexes' and their
    TOAST's main forks (the free-space and visibility maps are a fixed cost, not growth)."""
    with container.engine().connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
            return int(pages) * int(connection.exec_driver_sql("PRAGMA page_size").scalar_one())
        return int(connection.execute(HISTORY_RELATIONS).scalar_one())


def small_deploy(n: int) -> list[Any]:
    file = copy.deepcopy(DEMO_FILE)
    reports = [e for e in file if e["exportEntityType"] != "dashboard"]
    edited = reports[n % len(reports)]
    edited["name"] = f"{edited['name']} (deploy {n})"
    edited["data"]["configuration"]["yLabel"] = f"Invoices, deploy {n}"
    return file


def serving(file: list[Any]) -> Callable[[], Any]:
    return lambda: file


def test_a_hundred_small_deploys_grow_the_database_less_than_two_copies(
    container: Container,
) -> None:
    container.load_seed()(demo_seed())
    options = ImportOptions(overwrite=True, prepare=True)
    importing = container.import_entities()
    first: list[Any] = DEMO_FILE
    importing(DEMO_COLLECTION, lambda: first, options, actor=TESTER)
    one_copy = len(json.dumps(DEMO_FILE, separators=(",", ":")).encode())
    before = stored_bytes(container)
    for n in range(OVERWRITES):
        file = small_deploy(n)
        items = importing(DEMO_COLLECTION, serving(file), options, actor=TESTER)
        assert "updated" in [i.action for i in items]
    growth = stored_bytes(container) - before
    assert len(container.browse_history().changes(DEMO_COLLECTION, limit=500)) >= OVERWRITES
    with container.engine().connect() as connection:
        revisions, xml_blobs = connection.execute(XML_KEPT).one()
    # Each of the demo's two definitions' XML is kept once, whatever the number of revisions.
    assert (revisions > OVERWRITES, xml_blobs) == (True, 2)
    assert growth < 2 * one_copy, f"{growth:,} bytes for {OVERWRITES} deploys of {one_copy:,}"


def test_a_change_larger_than_a_batch_keeps_every_revision_and_its_xml_once(
    container: Container,
) -> None:
    """An import's reports, as it makes them: rewritten data sharing one definition XML."""
    xml = '<bpmn:definitions id="invoice">' + "<task/>" * 200 + "</bpmn:definitions>"
    count = RECORD_BATCH + 5
    reports = [
        Report(
            f"r-{n:04}",
            EntityType.SINGLE_PROCESS_REPORT,
            f"Report {n}",
            None,
            None,
            DerivedDocument(partial(process_report_data, xml=xml, n=n)),
        )
        for n in range(count)
    ]
    with container.writing_uow() as uow:
        uow.reports.add_all(reports)
        record_change(
            uow,
            "import",
            TESTER,
            datetime(2026, 1, 1, tzinfo=UTC),
            collection_id=None,
            touches=[Touch(None, r) for r in reports],
        )
        uow.commit()
    with container.engine().connect() as connection:
        assert tuple(connection.execute(XML_KEPT).one()) == (count, 1)
    with container.reading_uow() as uow:
        for report in (reports[0], reports[RECORD_BATCH - 1], reports[RECORD_BATCH], reports[-1]):
            stored = uow.history.revision(EntityKey.of(report), 1)
            assert stored is not None
            assert stored.entity == report
            assert isinstance(stored.entity, Report)
            assert stored.entity.data.text == stored_text(report.data)
