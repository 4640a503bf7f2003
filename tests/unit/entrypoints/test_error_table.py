from __future__ import annotations

import typing

import pytest

from application.errors import (
    StorageConflict,
    StorageError,
    StorageRefusedValue,
    StorageUnavailable,
    StorageValueTooLarge,
)
from domain import errors
from domain.errors import DomainError, IndexMismatch
from entrypoints import error_table
from entrypoints.error_table import (
    ERROR_KINDS,
    SERVER_ERROR,
    ErrorKind,
    body_for,
    kind_of,
    storage_body,
)
from entrypoints.http.schemas import ErrorBody


def every_domain_error() -> list[type[DomainError]]:
    found: list[type[DomainError]] = []
    pending = [DomainError]
    while pending:
        cls = pending.pop()
        found.extend(cls.__subclasses__())
        pending.extend(cls.__subclasses__())
    return found


# A report tile whose report is gone answers 500 by the contract's own words.
DELIBERATE_SERVER_ERRORS = {errors.DanglingReference}


@pytest.mark.parametrize("error_class", every_domain_error(), ids=lambda c: c.__name__)
def test_no_domain_error_falls_through_to_a_server_error(error_class: type[DomainError]) -> None:
    mapped = any(issubclass(error_class, known) for known in ERROR_KINDS)
    assert mapped, f"{error_class.__name__} has no entry in the error table"
    if error_class not in DELIBERATE_SERVER_ERRORS:
        instance = error_class.__new__(error_class)
        assert kind_of(instance) is not SERVER_ERROR


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (errors.NotFound("dashboards", ["9"]), 404, "notFoundError"),
        (errors.BadRequest("x"), 400, "badRequestError"),
        (errors.ImportFileInvalid("x"), 400, "importFileInvalid"),
        (errors.IndexVersionMismatch([]), 400, "importIndexVersionMismatch"),
        (errors.DanglingReference("x", ["r"]), 500, "serverError"),
    ],
)
def test_each_error_has_the_contracts_status_and_code(
    error: DomainError, status: int, code: str
) -> None:
    body = body_for(error)
    assert (body.status, body.error_code) == (status, code)
    assert body.to_json()["detailedMessage"] == error.detail


def test_an_index_mismatch_lists_every_mismatching_index() -> None:
    error = errors.IndexVersionMismatch(
        [
            ('report "a"', IndexMismatch("optimize-single-process-report_v11", 9, 11)),
            ('report "b"', IndexMismatch("optimize-single-process-report_v11", 9, 11)),
        ]
    )
    assert body_for(error).to_json()["mismatchingIndices"] == [
        {
            "indexName": "optimize-single-process-report_v11",
            "sourceIndexVersion": 9,
            "targetIndexVersion": 11,
        }
    ]


def test_a_passed_input_limit_names_its_setting() -> None:
    body = body_for(errors.BadRequest("Too many IDs.", limit="max_export_ids"))
    assert body.detailed_message == "Too many IDs. (the limit BOARDPORT_MAX_EXPORT_IDS)"


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (StorageUnavailable("connection refused"), 503, "serviceUnavailableError"),
        (StorageValueTooLarge("index row too large"), 400, "badRequestError"),
        (StorageRefusedValue("NUL character"), 400, "badRequestError"),
        (StorageConflict("duplicate key"), 500, "serverError"),
        (StorageError("anything else"), 500, "serverError"),
    ],
    ids=lambda value: type(value).__name__,
)
def test_a_storage_failure_is_answered_without_the_drivers_words(
    error: StorageError, status: int, code: str
) -> None:
    body = storage_body(error)
    assert (body.status, body.error_code) == (status, code)
    assert error.detail not in body.detailed_message


def test_the_documented_error_body_names_every_code_the_server_answers() -> None:
    """The OpenAPI schema lists the error codes a client may meet; schemathesis holds every
    answer to it, so a code missing there fails only when a random input happens to meet it."""
    kinds = [v for v in vars(error_table).values() if isinstance(v, ErrorKind)]
    kinds += list(ERROR_KINDS.values())
    documented = set(typing.get_args(typing.get_type_hints(ErrorBody)["errorCode"]))
    assert {kind.code for kind in kinds} - documented == set()
