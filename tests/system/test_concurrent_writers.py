"""Writers racing on the same key, each in a unit of work of its own: no error, no lost update.
(Imports, exports and deletes under load are in test_concurrency.py.)"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from application.use_cases.load_seed import Seed
from application.use_cases.register_definition import DefinitionRequest
from domain.collection import Collection, ScopeEntry
from domain.definition import DefinitionType
from domain.errors import NotFound
from domain.json_document import JsonValue
from entrypoints.container import Container
from tests.builders.domain import TESTER, collection, dashboard_of, process_report
from tests.builders.wire import process_report_entity

T = TypeVar("T")
WRITERS = 8


def race(actions: list[Callable[[], T]]) -> list[T | BaseException]:
    """Runs the actions at once, each in its own thread, and gives each one's result or error."""
    start = threading.Barrier(len(actions))
    results: list[T | BaseException] = [RuntimeError("did not run")] * len(actions)

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = actions[index]()
        except BaseException as error:  # noqa: BLE001 - every outcome is the test's to judge
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_registering_one_key_at_once_gives_every_caller_its_own_version(
    container: Container,
) -> None:
    request = DefinitionRequest(type="process", key="invoice", name="Invoice")
    results = race([lambda: container.register_definition()(request)] * WRITERS)
    assert not [r for r in results if isinstance(r, BaseException)]
    versions = sorted(int(r.version) for r in results if not isinstance(r, BaseException))
    assert versions == list(range(1, WRITERS + 1))
    assert len(container.list_definitions()()) == WRITERS


def test_widening_one_scope_at_once_loses_no_entry(container: Container) -> None:
    container.load_seed()(Seed(collections=(collection("c"),)))

    def widen(n: int) -> Callable[[], Collection]:
        return lambda: container.add_to_collection_scope()(
            "c", [ScopeEntry(DefinitionType.PROCESS, f"process-{n}", (None,))]
        )

    results = race([widen(n) for n in range(WRITERS)])
    assert not [r for r in results if isinstance(r, BaseException)]
    scope = container.get_collection()("c").scope
    assert sorted(e.key for e in scope) == sorted(f"process-{n}" for n in range(WRITERS))


def test_setting_a_flag_at_once_is_no_error(container: Container) -> None:
    def share(n: int) -> Callable[[], None]:
        return lambda: container.set_sharing()(enabled=n % 2 == 0)

    results = race([share(n) for n in range(WRITERS)])
    assert not [r for r in results if isinstance(r, BaseException)]


def test_preparing_for_one_file_at_once_registers_each_definition_once(
    container: Container,
) -> None:
    container.load_seed()(Seed(collections=(collection("c"),)))
    document: list[JsonValue] = [process_report_entity("r1", tenants=["<default>"])]
    results = race([lambda: container.prepare_for_import()(document, "c")] * 4)
    assert not [r for r in results if isinstance(r, BaseException)]
    assert [d.version for d in container.list_definitions()()] == ["1"]


def test_deleting_one_dashboard_at_once_succeeds_once(container: Container) -> None:
    container.load_seed()(
        Seed(reports=(process_report("r1"),), dashboards=(dashboard_of("d", "r1"),))
    )
    results = race([lambda: container.delete_dashboard()("d", actor=TESTER)] * 4)
    assert results.count(None) == 1
    assert all(isinstance(r, NotFound) for r in results if r is not None)
