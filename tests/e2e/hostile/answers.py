"""What every hostile request is judged by: the contract's JSON error body with its status and
`errorCode`, never a 500, never HTML, never a stack trace or a driver's name."""

from __future__ import annotations

import httpx

from tests.builders.wire import Entity

CONTRACT_CODES = frozenset(
    {
        "badRequestError",
        "notAuthorizedError",
        "notFoundError",
        "importFileInvalid",
        "importIndexVersionMismatch",
        "importDefinitionDoesNotExist",
        "importDescriptionInvalid",
        "nonDefinitionScopeCompliantConflict",
        "nonTenantScopeCompliantConflict",
        "requestTooLarge",
        "methodNotAllowedError",
    }
)
IMPORT_CODES = frozenset(
    {
        "badRequestError",
        "importFileInvalid",
        "importIndexVersionMismatch",
        "importDefinitionDoesNotExist",
        "importDescriptionInvalid",
        "nonDefinitionScopeCompliantConflict",
        "nonTenantScopeCompliantConflict",
    }
)


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> Entity:
    """The contract's JSON error body with exactly this status (and code), nothing else."""
    assert response.status_code == status, f"{response.status_code}: {response.text[:600]}"
    assert response.headers["content-type"].split(";")[0] == "application/json", response.headers
    body: Entity = response.json()
    assert isinstance(body, dict), body
    for field in ("errorCode", "errorMessage", "detailedMessage"):
        assert isinstance(body.get(field), str), body
        assert body[field], body
    assert body["errorCode"] in CONTRACT_CODES, body
    if code is not None:
        assert body["errorCode"] == code, body
    assert_no_leak(response)
    return body


def assert_no_leak(response: httpx.Response) -> None:
    text = response.text
    for marker in ("Traceback", 'File "/', "<html", "<!DOCTYPE", "sqlalchemy", "psycopg"):
        assert marker.lower() not in text.lower(), text[:600]


def assert_handled(response: httpx.Response, codes: frozenset[str] = CONTRACT_CODES) -> None:
    """Whatever the answer, it is not a server error, and an error is the contract's body."""
    assert response.status_code < 500, f"{response.status_code}: {response.text[:600]}"
    if response.status_code >= 400:
        body = assert_error(response, response.status_code)
        assert body["errorCode"] in codes, body
    else:
        assert_no_leak(response)
