"""The wire shapes, for the OpenAPI document. Responses are written by `entrypoints.wire`, which
splices stored JSON in; these Structs describe that output and are tested against it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

# Field names are the wire's own camelCase names.
# ruff: noqa: N815


class Position(msgspec.Struct):
    x: int
    y: int


class Dimensions(msgspec.Struct):
    width: int
    height: int


class DashboardTile(msgspec.Struct):
    id: str
    position: Position
    dimensions: Dimensions
    type: Literal["optimize_report", "external_url", "text"]
    configuration: dict[str, Any] | None


class DashboardFilter(msgspec.Struct):
    type: str
    data: dict[str, Any] | None = None


class _ExportedEntity(msgspec.Struct, tag_field="exportEntityType"):
    id: str
    name: str
    description: str | None
    sourceIndexVersion: int
    collectionId: str | None


SingleReportData = Annotated[
    dict[str, Any],
    msgspec.Meta(
        description="The report as Optimize stores it, kept exactly as it came: `definitions` "
        "(a list of {identifier, key, name, displayName, versions, tenantIds}; reports of "
        "releases before 3.5 carry processDefinitionKey / decisionDefinitionKey, ...Versions and "
        "tenantIds instead, and are migrated on import), "
        "`configuration` (free-form; `configuration.xml` is the BPMN or DMN XML or null), "
        "`filter`, `view`, `groupBy`, `distributedBy`, `visualization` and, for process "
        "reports, `managementReport` and `instantPreviewReport`."
    ),
]


class SingleProcessReportExport(_ExportedEntity, tag="single_process_report"):
    data: SingleReportData


class SingleDecisionReportExport(_ExportedEntity, tag="single_decision_report"):
    data: SingleReportData


class CombinedReportChild(msgspec.Struct):
    """One single report of a combined report; `color` and anything else is kept as it came."""

    id: Annotated[str, msgspec.Meta(min_length=1)]


class CombinedReportData(msgspec.Struct):
    """A combined report's data; `configuration`, `visualization` and anything else it holds is
    kept exactly as it came."""

    reports: list[CombinedReportChild] | None = None


class CombinedReportExport(_ExportedEntity, tag="combined_report"):
    data: CombinedReportData


class DashboardExport(_ExportedEntity, tag="dashboard"):
    tiles: list[DashboardTile]
    availableFilters: list[DashboardFilter]
    instantPreviewDashboard: bool


ExportEntity = (
    SingleProcessReportExport | SingleDecisionReportExport | CombinedReportExport | DashboardExport
)


class EntityId(msgspec.Struct):
    """An entity ID, as the listing endpoints answer it."""

    id: str


class MismatchingIndex(msgspec.Struct):
    indexName: str
    sourceIndexVersion: int | None
    targetIndexVersion: int


class MissingDefinitionOut(msgspec.Struct):
    type: Literal["process", "decision"]
    key: str
    versions: list[str]
    tenantIds: list[str | None]


class ConflictedItem(msgspec.Struct, omit_defaults=True):
    """The collection whose scope refused an import; or (revertConflict) an entity the revert
    would restore, and the later change that touched it."""

    id: str
    type: Literal["collection", "report", "dashboard"]
    name: str
    changeId: str | msgspec.UnsetType | None = msgspec.UNSET


class ErrorBody(msgspec.Struct):
    """Every 4xx and 5xx answer. `errorMessage` is fixed per `errorCode`; `detailedMessage` names
    the entities. Some import errors carry one more field."""

    errorCode: Literal[
        "badRequestError",
        "notAuthorizedError",
        "notFoundError",
        "importFileInvalid",
        "importIndexVersionMismatch",
        "importDefinitionDoesNotExist",
        "importDescriptionInvalid",
        "nonDefinitionScopeCompliantConflict",
        "nonTenantScopeCompliantConflict",
        "importOverwriteConflict",
        "idempotencyKeyReused",
        "idempotencyKeyInProgress",
        "revertConflict",
        "requestTooLarge",
        "methodNotAllowedError",
        "serverError",
        "serviceUnavailableError",
    ]
    errorMessage: str
    detailedMessage: str
    mismatchingIndices: list[MismatchingIndex] | msgspec.UnsetType = msgspec.UNSET
    definitions: list[MissingDefinitionOut] | msgspec.UnsetType = msgspec.UNSET
    conflictedItems: list[ConflictedItem] | msgspec.UnsetType = msgspec.UNSET


class Readiness(msgspec.Struct):
    status: Literal["ready"]


class CollectionCreate(msgspec.Struct, forbid_unknown_fields=False):
    name: str | None = None
    ownerId: str | None = None


class CollectionSummary(msgspec.Struct):
    id: str
    name: str


class ScopeEntryBody(msgspec.Struct):
    definitionType: Literal["process", "decision"]
    definitionKey: str
    tenants: list[str | None] = msgspec.field(default_factory=lambda: [None])


class ScopeEntryOut(msgspec.Struct):
    id: str
    definitionType: str
    definitionKey: str
    tenants: list[str | None]


class CollectionData(msgspec.Struct):
    configuration: dict[str, Any]
    scope: list[ScopeEntryOut]


class CollectionDetail(msgspec.Struct):
    id: str
    name: str
    owner: str | None
    created: str
    data: CollectionData


class DefinitionBody(msgspec.Struct):
    type: str
    xml: str | None = None
    key: str | None = None
    name: str | None = None
    version: str | None = None
    tenantId: str | None = None


class DefinitionOut(msgspec.Struct):
    type: str
    key: str
    version: str
    tenantId: str | None
    name: str | None
