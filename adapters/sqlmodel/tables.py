"""The relational schema. Rows are not domain objects: `mappers` converts both ways.

JSON that boardport keeps without interpreting (report data, tile configuration, dashboard
filters) is stored as text, byte for byte as it will be sent, so an export never re-parses it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    LargeBinary,
    String,
    Text,
    false,
)
from sqlmodel import Field, SQLModel


def _json_text(*, nullable: bool) -> Column[str]:
    return Column(Text, nullable=nullable)


def _label_column() -> Column[str]:
    return Column(String, nullable=False, server_default="")


class CollectionRow(SQLModel, table=True):
    __tablename__ = "collection"

    id: str = Field(primary_key=True)
    name: str
    owner_id: str | None = None
    created: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class ReportRow(SQLModel, table=True):
    """The origin of an imported report: `source_id`, its ID in the file it was imported from
    (None when it was not imported, or a newer copy took the origin over), and `source_label`,
    the import's `source` ('' for none). An origin is unique within a collection, so an
    overwrite import finds one report, never two."""

    __tablename__ = "report"
    __table_args__ = (
        Index(
            "ix_report_collection_origin",
            "collection_id",
            "source_label",
            "source_id",
            unique=True,
        ),
        # A collection's list page reads these indexes alone: a page in the order of creation
        # (migration 0008), and the counts by type and the search of names (migration 0009).
        Index("ix_report_listing", "collection_id", "created", "id", "entity_type", "name"),
        Index("ix_report_types", "collection_id", "entity_type", "name"),
    )

    id: str = Field(primary_key=True)
    collection_id: str | None = Field(default=None, foreign_key="collection.id")
    entity_type: str
    name: str
    description: str | None = None
    data: str = Field(sa_column=_json_text(nullable=False))
    created: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    source_id: str | None = None
    source_label: str = Field(default="", sa_column=_label_column())


class CombinedReportChildRow(SQLModel, table=True):
    """One entry of a combined report's `data.reports`, so that closure and deletes are queries."""

    __tablename__ = "combined_report_child"

    combined_id: str = Field(foreign_key="report.id", primary_key=True, ondelete="CASCADE")
    position: int = Field(primary_key=True)
    child_id: str = Field(foreign_key="report.id", index=True)


class DashboardRow(SQLModel, table=True):
    """The origin as for reports."""

    __tablename__ = "dashboard"
    __table_args__ = (
        Index(
            "ix_dashboard_collection_origin",
            "collection_id",
            "source_label",
            "source_id",
            unique=True,
        ),
        Index("ix_dashboard_listing", "collection_id", "created", "id", "name"),
    )

    id: str = Field(primary_key=True)
    collection_id: str | None = Field(default=None, foreign_key="collection.id", index=True)
    name: str
    description: str | None = None
    available_filters: str = Field(sa_column=_json_text(nullable=False))
    created: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    source_id: str | None = None
    source_label: str = Field(default="", sa_column=_label_column())


class TileRow(SQLModel, table=True):
    """A dashboard tile; a report tile's `report_id` is a foreign key, so no tile can point at a
    report that is gone."""

    __tablename__ = "dashboard_tile"

    dashboard_id: str = Field(foreign_key="dashboard.id", primary_key=True, ondelete="CASCADE")
    position: int = Field(primary_key=True)
    tile_type: str
    report_id: str | None = Field(default=None, foreign_key="report.id", index=True)
    x: int
    y: int
    width: int
    height: int
    configuration: str | None = Field(default=None, sa_column=_json_text(nullable=True))


class CollectionScopeRow(SQLModel, table=True):
    """One definition a collection may hold reports of; `tenants` is a JSON array."""

    __tablename__ = "collection_scope"

    collection_id: str = Field(foreign_key="collection.id", primary_key=True, ondelete="CASCADE")
    definition_type: str = Field(primary_key=True)
    definition_key: str = Field(primary_key=True)
    tenants: str = Field(sa_column=_json_text(nullable=False))


class DefinitionRow(SQLModel, table=True):
    """A definition version boardport was told exists. `tenant_id` is '' for "no tenant", so
    that the identity can be the primary key on both databases."""

    __tablename__ = "definition"

    definition_type: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    version: str = Field(primary_key=True)
    tenant_id: str = Field(primary_key=True)
    name: str | None = None
    xml: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class SettingRow(SQLModel, table=True):
    __tablename__ = "setting"

    name: str = Field(primary_key=True)
    value: str


class ChangeCounterRow(SQLModel, table=True):
    """One row; every write transaction adds one to `value` before it commits, so the new value
    becomes visible together with the data it stands for."""

    __tablename__ = "change_counter"

    id: int = Field(primary_key=True)
    value: int = Field(sa_column=Column(BigInteger, nullable=False))


class IdempotencyRow(SQLModel, table=True):
    """The answer of an import sent with an `Idempotency-Key`, kept per caller and key, written
    in the import's own transaction: a retry of the same request gets these bytes again."""

    __tablename__ = "idempotency_key"
    __table_args__ = (Index("ix_idempotency_key_expires", "expires"),)

    caller: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    fingerprint: str
    answer: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    expires: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class WebSessionRow(SQLModel, table=True):
    """A web page session. The row holds the SHA-256 of the session's ID, never the ID: what
    reads the table cannot sign in with it. `actor` is None for the sign-in form's pre-session."""

    __tablename__ = "web_session"
    __table_args__ = (Index("ix_web_session_expires", "expires"),)

    id_hash: str = Field(primary_key=True)
    csrf_token: str
    actor: str | None = None
    expires: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class PendingImportRow(SQLModel, table=True):
    """A file uploaded to the import page, waiting for its confirm step."""

    __tablename__ = "pending_import"
    __table_args__ = (Index("ix_pending_import_expires", "expires"),)

    key: str = Field(primary_key=True)
    session_hash: str
    collection_id: str
    file_name: str
    overwrite: bool
    prune: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    created: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    expires: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class SignInFailureRow(SQLModel, table=True):
    """A client address's recent failed sign-ins (domain/sign_in_throttle.py)."""

    __tablename__ = "sign_in_failure"

    address: str = Field(primary_key=True)
    failures: int
    window_start: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    blocks: int
    blocked_until: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    last_failure: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class HistoryChangeRow(SQLModel, table=True):
    """One committed write (domain/history.py). `reverts` is the change a revert undid."""

    __tablename__ = "history_change"
    __table_args__ = (
        Index("ix_history_change_collection", "collection_id", "id"),
        Index("ix_history_change_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    actor: str
    collection_id: str | None = None
    created: int
    updated: int
    deleted: int
    reverts: int | None = None


class HistoryRevisionRow(SQLModel, table=True):
    """One revision of a report or dashboard. The content is split so that what repeats is kept
    once: the name, description and origin sit here, the rest (a report's data without its
    definition XML, a dashboard's tiles and filters) is a blob found by its hash, and the XML is
    a blob of its own, spliced back at `xml_at` (None: the data holds it, or none)."""

    __tablename__ = "history_revision"
    __table_args__ = (Index("ix_history_revision_change", "change_id"),)

    entity_kind: str = Field(primary_key=True)
    entity_id: str = Field(primary_key=True)
    number: int = Field(primary_key=True)
    change_id: int | None = None
    action: str
    export_type: str
    name: str
    description: str | None = None
    collection_id: str | None = None
    source_id: str | None = None
    source_label: str | None = None
    body_hash: str
    xml_hash: str | None = None
    xml_at: int | None = None


class HistoryBlobRow(SQLModel, table=True):
    """Content kept by a hash of its text (revision_content.digest), once however many
    revisions share it, and compressed (zlib): a revision is read rarely, and its parts are
    mostly JSON and XML. With
    `base_hash`, the content is a delta: compressed with that blob (stored whole, never a delta
    itself) as the dictionary, as an entity's data changed a little from one deploy to the next."""

    __tablename__ = "history_blob"

    hash: str = Field(primary_key=True)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    base_hash: str | None = None
