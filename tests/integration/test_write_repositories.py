"""Definitions, scope, settings, and the writes that deletes make, on both databases."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import text

from adapters.sqlmodel.bulk_insert import BATCH_ROWS
from application.use_cases.load_seed import Seed
from domain.collection import ScopeEntry
from domain.definition import Definition, DefinitionType
from entrypoints.container import Container
from tests.builders.domain import TESTER, collection, combined_report, dashboard_of, process_report

PROCESS = DefinitionType.PROCESS


def test_definitions_round_trip_including_the_no_tenant_case(container: Container) -> None:
    shared = Definition(PROCESS, "invoice", "1", None, "Invoice", "<xml/>")
    tenanted = Definition(PROCESS, "invoice", "1", "acme", "Invoice", None)
    other = Definition(DefinitionType.DECISION, "invoice", "1", None, "Decision", None)
    with container.writing_uow() as uow:
        for definition in (shared, tenanted, other):
            uow.definitions.save(definition)
        uow.commit()
    with container.writing_uow() as uow:
        assert sorted(uow.definitions.of_keys({(PROCESS, "invoice")}), key=str) == sorted(
            [shared, tenanted], key=str
        )
        assert len(uow.definitions.list_all()) == 3
    with container.engine().connect() as connection:
        tenants = connection.execute(text("SELECT tenant_id FROM definition")).scalars().all()
    assert sorted(tenants) == ["", "", "acme"]


def test_saving_a_definition_again_replaces_its_name_and_xml(container: Container) -> None:
    with container.writing_uow() as uow:
        uow.definitions.save(Definition(PROCESS, "invoice", "1", None, "Old", "<old/>"))
        uow.definitions.save(Definition(PROCESS, "invoice", "1", None, "New", "<new/>"))
        uow.commit()
    with container.writing_uow() as uow:
        (stored,) = uow.definitions.list_all()
    assert (stored.name, stored.xml) == ("New", "<new/>")


def test_a_collection_scope_is_stored_and_replaced(container: Container) -> None:
    container.load_seed()(Seed(collections=(collection("c"),)))
    entries = [
        ScopeEntry(PROCESS, "invoice", (None, "acme")),
        ScopeEntry(DefinitionType.DECISION, "route", (None,)),
    ]
    with container.writing_uow() as uow:
        stored = uow.collections.get("c")
        assert stored is not None
        scoped = stored.with_scope(entries)
        uow.collections.save_scope(scoped)
        uow.commit()
    with container.writing_uow() as uow:
        stored = uow.collections.get("c")
        assert stored is not None
        assert set(stored.scope) == set(entries)
        assert uow.collections.list_all()[0].scope == stored.scope


def stored_flags(container: Container) -> dict[str, str]:
    with container.engine().connect() as connection:
        rows = connection.execute(text("SELECT name, value FROM setting")).all()
    return {str(name): str(value) for name, value in rows}


def test_a_flag_is_stored_and_overwritten(container: Container) -> None:
    assert "sharing_enabled" not in stored_flags(container)
    with container.writing_uow() as uow:
        uow.settings.set_flag("sharing_enabled", True)
        uow.settings.set_flag("sharing_enabled", False)
        uow.commit()
    assert stored_flags(container)["sharing_enabled"] == "false"


def test_deleting_a_report_leaves_no_reference_to_it(container: Container) -> None:
    container.load_seed()(
        Seed(
            reports=(
                process_report("r1"),
                process_report("r2"),
                combined_report("k", ["r1", "r2"]),
            ),
            dashboards=(dashboard_of("d1", "r1", "k"), dashboard_of("d2", "r2")),
        )
    )
    container.delete_report()("r1", actor=TESTER)
    with container.writing_uow() as uow:
        assert set(uow.reports.get_many(frozenset({"r1", "r2", "k"}))) == {"r2", "k"}
        assert uow.reports.get_many(frozenset({"k"}))["k"].child_ids == ("r2",)
        assert uow.dashboards.get_many(frozenset({"d1"}))["d1"].report_ids() == ("k",)
    with container.engine().connect() as connection:
        left = connection.execute(
            text(
                "SELECT count(*) FROM dashboard_tile WHERE report_id = 'r1' UNION ALL "
                "SELECT count(*) FROM combined_report_child WHERE child_id = 'r1'"
            )
        ).scalars()
        assert list(left) == [0, 0]
        data = connection.execute(text("SELECT data FROM report WHERE id = 'k'")).scalar_one()
    assert '"r1"' not in data


def test_deleting_a_dashboard_keeps_its_reports(container: Container) -> None:
    container.load_seed()(
        Seed(reports=(process_report("r1"),), dashboards=(dashboard_of("d", "r1"),))
    )
    container.delete_dashboard()("d", actor=TESTER)
    with container.writing_uow() as uow:
        assert uow.dashboards.get_many(frozenset({"d"})) == {}
        assert set(uow.reports.get_many(frozenset({"r1"}))) == {"r1"}
    with container.engine().connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM dashboard_tile")).scalar_one() == 0


def test_reports_beyond_one_batch_are_all_added_and_updated_in_order(container: Container) -> None:
    """Rows go to the driver a batch at a time; every batch lands, in the one transaction."""
    container.load_seed()(Seed(collections=(collection("c"),)))
    count = 2 * BATCH_ROWS + 3
    reports = [
        replace(process_report(f"r{n:04}"), collection_id="c", name=f"Report {n}")
        for n in range(count)
    ]
    with container.writing_uow() as uow:
        uow.reports.add_all(iter(reports), {f"r{n:04}": f"s{n}" for n in range(count)})
        uow.commit()
    renamed = [replace(r, name=f"Renamed {r.id}") for r in reports]
    with container.writing_uow() as uow:
        uow.reports.update_all(renamed)
        uow.commit()
    with container.engine().connect() as connection:
        rows = connection.execute(text("SELECT id, name, source_id FROM report ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [
        (f"r{n:04}", f"Renamed r{n:04}", f"s{n}") for n in range(count)
    ]
