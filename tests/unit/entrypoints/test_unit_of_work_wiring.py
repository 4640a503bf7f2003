"""Reading and writing are two types, and the composition root gives each use case the unit of
work its constructor asks for: a writing use case wired with a reading unit of work would
commit nothing (or, before the types, commit without moving the change counter)."""

from __future__ import annotations

import typing
from collections.abc import Callable
from pathlib import Path

from dependency_injector import providers
from mypy import api

from application.ports.unit_of_work import ReadingUnitOfWork, WritingUnitOfWork
from entrypoints.container import Container

UNITS: dict[object, object] = {
    ReadingUnitOfWork: Container.reading_uow,
    WritingUnitOfWork: Container.writing_uow,
}


def unit_asked_for(annotation: object) -> object | None:
    """ReadingUnitOfWork or WritingUnitOfWork when a parameter asks for one, or for a way to
    open one (`Callable[[], ...]`); else None."""
    if annotation in UNITS:
        return annotation
    if typing.get_origin(annotation) is Callable:
        returned = typing.get_args(annotation)[-1]
        return returned if returned in UNITS else None
    return None


def wired_provider(argument: object) -> object:
    return argument.provides if isinstance(argument, providers.Delegate) else argument


def wiring() -> list[tuple[str, str, object, object]]:
    """(provider name, parameter, the unit it asks for, the provider it is given), for every
    parameter of every provided class that asks for a unit of work."""
    found = []
    for name, provider in Container.providers.items():
        provided = getattr(provider, "cls", None)
        if not isinstance(provided, type):
            continue
        hints = typing.get_type_hints(provided.__init__)  # type: ignore[misc]
        for parameter, annotation in hints.items():
            asked = unit_asked_for(annotation)
            if asked is not None:
                kwargs = provider.kwargs  # type: ignore[attr-defined]
                found.append((name, parameter, asked, wired_provider(kwargs.get(parameter))))
    return found


def test_every_use_case_is_given_the_unit_of_work_its_constructor_asks_for() -> None:
    found = wiring()
    assert len(found) >= 20  # every use case of the container was seen
    wrong = [
        f"{name}.{parameter}"
        for name, parameter, asked, given in found
        if given is not UNITS[asked]
    ]
    assert wrong == []


def test_the_check_sees_a_writing_use_case_wired_with_a_reading_unit_of_work() -> None:
    class Miswired(Container):
        delete_dashboard = providers.Factory(
            Container.delete_dashboard.cls, uow=Container.reading_uow
        )

    miswired = [
        (name, given)
        for name, provider in Miswired.providers.items()
        if name == "delete_dashboard"
        for given in [wired_provider(provider.kwargs["uow"])]  # type: ignore[attr-defined]
    ]
    assert miswired == [("delete_dashboard", Container.reading_uow)]
    assert UNITS[WritingUnitOfWork] is not Container.reading_uow


WRONG_WIRING = """
from application.ports.unit_of_work import ReadingUnitOfWork
from application.use_cases.delete_dashboard import DeleteDashboard
from tests.fakes import FixedClock


def wire(reading: ReadingUnitOfWork) -> None:
    DeleteDashboard(uow=reading, clock=FixedClock())
    with reading as uow:
        uow.reports.remove("r1")
        uow.commit()
"""


def test_mypy_refuses_a_write_through_a_reading_unit_of_work(tmp_path: Path) -> None:
    snippet = tmp_path / "wrong_wiring.py"
    snippet.write_text(WRONG_WIRING, encoding="utf-8")
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    report, _, status = api.run(
        [
            "--config-file",
            str(config),
            "--strict",
            "--no-error-summary",
            "--follow-imports",
            "silent",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(snippet),
        ]
    )
    assert status == 1
    errors = [line.split(": error: ", 1)[1] for line in report.splitlines() if ": error: " in line]
    assert errors == [
        (
            'Argument "uow" to "DeleteDashboard" has incompatible type "ReadingUnitOfWork"; '
            'expected "WritingUnitOfWork"  [arg-type]'
        ),
        '"ReportReader" has no attribute "remove"  [attr-defined]',
        '"ReadingUnitOfWork" has no attribute "commit"  [attr-defined]',
    ]
