"""The one mapping from error class to HTTP status and the contract's `errorCode`, shared by the
HTTP API and the CLI so both report a failure in the same words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from application.errors import (
    StorageConflict,
    StorageError,
    StorageRefusedValue,
    StorageUnavailable,
    StorageValueTooLarge,
)
from domain.errors import (
    BadRequest,
    DanglingReference,
    DefinitionScopeConflict,
    DefinitionsDoNotExist,
    DescriptionInvalid,
    DomainError,
    IdempotencyKeyInProgress,
    IdempotencyKeyReused,
    ImportFileInvalid,
    ImportRejected,
    IndexVersionMismatch,
    NotAuthorized,
    NotFound,
    OverwriteConflict,
    ScopeConflict,
    TenantScopeConflict,
)
from domain.history import RevertConflict


@dataclass(frozen=True, slots=True)
class ErrorKind:
    status: int
    code: str
    message: str
    headers: Mapping[str, str] = field(default_factory=dict)
    """What a client needs besides the body to act on it (when to try again)."""


@dataclass(frozen=True, slots=True)
class ErrorAnswer:
    """An error as boardport answers it: the HTTP status, and the fields of the contract's
    error body (the API sends them as JSON, the CLI prints them)."""

    status: int
    error_code: str
    error_message: str
    detailed_message: str
    extra: Mapping[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "errorCode": self.error_code,
            "errorMessage": self.error_message,
            "detailedMessage": self.detailed_message,
            **self.extra,
        }


BAD_REQUEST = ErrorKind(400, "badRequestError", "The request is malformed or not allowed.")
NOT_AUTHORIZED = ErrorKind(401, "notAuthorizedError", "The request is not authorized.")
NOT_FOUND = ErrorKind(404, "notFoundError", "The requested resource was not found.")
METHOD_NOT_ALLOWED = ErrorKind(
    405, "methodNotAllowedError", "This method is not allowed on this resource."
)
REQUEST_TOO_LARGE = ErrorKind(413, "requestTooLarge", "The request body is too large.")
UNSUPPORTED_MEDIA_TYPE = ErrorKind(415, "badRequestError", "The request body is not sent as JSON.")
SERVER_ERROR = ErrorKind(500, "serverError", "An unexpected error occurred on the server.")
SERVICE_UNAVAILABLE = ErrorKind(
    503, "serviceUnavailableError", "The service cannot answer now; try again later."
)

IMPORT_FILE_INVALID = ErrorKind(400, "importFileInvalid", "The import file is invalid.")

ERROR_KINDS: Mapping[type[DomainError], ErrorKind] = MappingProxyType(
    {
        BadRequest: BAD_REQUEST,
        NotAuthorized: NOT_AUTHORIZED,
        NotFound: NOT_FOUND,
        DanglingReference: SERVER_ERROR,
        ImportRejected: IMPORT_FILE_INVALID,
        ImportFileInvalid: IMPORT_FILE_INVALID,
        IndexVersionMismatch: ErrorKind(
            400,
            "importIndexVersionMismatch",
            "The entities in the file were written by an incompatible version.",
        ),
        DefinitionsDoNotExist: ErrorKind(
            400,
            "importDefinitionDoesNotExist",
            "The definitions the file's reports use do not exist here.",
        ),
        DescriptionInvalid: ErrorKind(
            400, "importDescriptionInvalid", "A description in the file is invalid."
        ),
        ScopeConflict: ErrorKind(
            409,
            "nonDefinitionScopeCompliantConflict",
            "The target collection's scope does not hold the definitions of the file's reports.",
        ),
        DefinitionScopeConflict: ErrorKind(
            409,
            "nonDefinitionScopeCompliantConflict",
            "The target collection's scope does not hold the definitions of the file's reports.",
        ),
        OverwriteConflict: ErrorKind(
            409,
            "importOverwriteConflict",
            "The import cannot tell which stored entity an entity of the file overwrites.",
        ),
        TenantScopeConflict: ErrorKind(
            409,
            "nonTenantScopeCompliantConflict",
            "The target collection's scope does not hold the tenants of the file's reports.",
        ),
        IdempotencyKeyReused: ErrorKind(
            422,
            "idempotencyKeyReused",
            "The Idempotency-Key was used before with another request.",
        ),
        IdempotencyKeyInProgress: ErrorKind(
            409,
            "idempotencyKeyInProgress",
            "The first request with this Idempotency-Key is still running.",
            MappingProxyType({"Retry-After": "1"}),
        ),
        RevertConflict: ErrorKind(
            409,
            "revertConflict",
            "A later change touched an entity that the revert would restore.",
        ),
    }
)


_KIND_BY_STATUS: Mapping[int, ErrorKind] = {
    kind.status: kind
    for kind in (
        BAD_REQUEST,
        NOT_AUTHORIZED,
        NOT_FOUND,
        METHOD_NOT_ALLOWED,
        REQUEST_TOO_LARGE,
        SERVER_ERROR,
        SERVICE_UNAVAILABLE,
        UNSUPPORTED_MEDIA_TYPE,
    )
}
_FIRST_SERVER_ERROR = 500


def kind_for_status(status: int) -> ErrorKind:
    """The contract's error kind for an HTTP status that no domain error chose."""
    kind = _KIND_BY_STATUS.get(status)
    if kind is None:
        like = BAD_REQUEST if status < _FIRST_SERVER_ERROR else SERVER_ERROR
        kind = ErrorKind(status, like.code, like.message)
    return kind


def kind_of(error: DomainError) -> ErrorKind:
    for cls in type(error).__mro__:
        kind = ERROR_KINDS.get(cls)
        if kind is not None:
            return kind
    return SERVER_ERROR


def body_for(error: DomainError) -> ErrorAnswer:
    kind = kind_of(error)
    return ErrorAnswer(kind.status, kind.code, kind.message, _detail(error), _extra_fields(error))


def _detail(error: DomainError) -> str:
    """The error's detail and, when it passed an input limit, the setting that sets it."""
    if error.limit is None:
        return error.detail
    return f"{error.detail} (the limit {limit_setting(error.limit)})"


def limit_setting(limit: str) -> str:
    """The environment variable of an `InputLimits` field: each is a setting of the same name."""
    return f"BOARDPORT_{limit.upper()}"


def body_of(kind: ErrorKind, detail: str) -> ErrorAnswer:
    return ErrorAnswer(kind.status, kind.code, kind.message, detail)


def _extra_fields(error: DomainError) -> dict[str, object]:
    if isinstance(error, IndexVersionMismatch):
        return {
            "mismatchingIndices": [
                {
                    "indexName": m.index_name,
                    "sourceIndexVersion": m.source_version,
                    "targetIndexVersion": m.target_version,
                }
                for m in error.mismatches
            ]
        }
    if isinstance(error, DefinitionsDoNotExist):
        return {
            "definitions": [
                {
                    "type": d.type,
                    "key": d.key,
                    "versions": list(d.versions),
                    "tenantIds": list(d.tenant_ids),
                }
                for d in error.definitions
            ]
        }
    if isinstance(error, ScopeConflict):
        item = {"id": error.collection.id, "type": "collection", "name": error.collection.name}
        return {"conflictedItems": [item]}
    if isinstance(error, RevertConflict):
        return {
            "conflictedItems": [
                {
                    "id": c.key.id,
                    "type": c.key.entity_type,
                    "name": c.name,
                    "changeId": c.change_id,
                }
                for c in error.conflicts
            ]
        }
    return {}


_STORAGE_ANSWERS: tuple[tuple[type[StorageError], ErrorKind, str], ...] = (
    (
        StorageValueTooLarge,
        BAD_REQUEST,
        "A value in the request is too large to store; nothing was changed.",
    ),
    (
        StorageRefusedValue,
        BAD_REQUEST,
        "A value in the request cannot be stored; nothing was changed.",
    ),
    (
        StorageUnavailable,
        SERVICE_UNAVAILABLE,
        "The database failed or is unreachable; nothing was changed. Retry.",
    ),
    (StorageConflict, SERVER_ERROR, "The server could not complete the request."),
)


def storage_body(error: StorageError) -> ErrorAnswer:
    """How a storage failure is answered: never with the driver's words, which may name the
    schema; the log has those."""
    for cls, kind, detail in _STORAGE_ANSWERS:
        if isinstance(error, cls):
            return body_of(kind, detail)
    return body_of(SERVER_ERROR, "The server could not complete the request.")
