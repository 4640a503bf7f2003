from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, datetime

from sqlalchemy import Select, delete, literal, select
from sqlmodel import Session, col

from adapters.sqlmodel.bulk_insert import insert_rows, one_copy_per_source, update_rows
from adapters.sqlmodel.id_filter import id_among
from adapters.sqlmodel.mappers import (
    DASHBOARD_COLUMNS,
    TILE_COLUMNS,
    dashboard_from_columns,
    dashboard_values,
    stored_text,
    tile_from_columns,
    tile_values,
)
from adapters.sqlmodel.origins import Origins
from adapters.sqlmodel.tables import DashboardRow, TileRow
from application.ports.dashboard_repository import DashboardReader, DashboardRepository
from domain.dashboard import Dashboard, Tile
from domain.entity_type import EntityType
from domain.overwrite import StoredOrigin

DASHBOARD_TABLE = DashboardRow.__table__  # type: ignore[attr-defined]
TILE_TABLE = TileRow.__table__  # type: ignore[attr-defined]


class SqlDashboardReader(DashboardReader):
    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name
        self._origins = Origins(
            session, DashboardRow, literal(EntityType.DASHBOARD.value), EntityType
        )

    def get_many(self, ids: frozenset[str]) -> Mapping[str, Dashboard]:
        if not ids:
            return {}
        rows = self._session.execute(
            select(*DASHBOARD_COLUMNS).where(id_among(DashboardRow.id, ids, self._dialect))
        ).all()
        if not rows:
            return {}
        tiles = self._tiles_of(ids)
        return {row[0]: dashboard_from_columns(row, tiles.get(row[0], ())) for row in rows}

    def ids_in_collection(self, collection_id: str | None) -> list[str]:
        query = (
            select(col(DashboardRow.id))
            .where(col(DashboardRow.collection_id) == collection_id)
            .order_by(col(DashboardRow.created), col(DashboardRow.id))
        )
        return list(self._session.execute(query).scalars())

    def origins_in_collection(
        self, collection_id: str, label: str, ids: frozenset[str]
    ) -> list[StoredOrigin]:
        return self._origins.matching(collection_id, label, ids)

    def sourced_from(self, collection_id: str, label: str) -> list[StoredOrigin]:
        return self._origins.of_label(collection_id, label)

    def showing_report(self, report_id: str) -> list[Dashboard]:
        found = self.get_many(frozenset(self._session.execute(_showing(report_id)).scalars()))
        return [found[i] for i in sorted(found)]

    def _tiles_of(self, dashboard_ids: frozenset[str]) -> Mapping[str, list[Tile]]:
        query = (
            select(*TILE_COLUMNS)
            .where(id_among(TileRow.dashboard_id, dashboard_ids, self._dialect))
            .order_by(col(TileRow.dashboard_id), col(TileRow.position))
        )
        tiles: defaultdict[str, list[Tile]] = defaultdict(list)
        for row in self._session.execute(query):
            tiles[row[0]].append(tile_from_columns(row))
        return tiles


class SqlDashboardRepository(SqlDashboardReader, DashboardRepository):
    def add_all(
        self,
        dashboards: Iterable[Dashboard],
        sources: Mapping[str, str] | None = None,
        label: str = "",
    ) -> None:
        created = datetime.now(UTC)
        batch = list(dashboards)
        if not batch:
            return
        known = sources or {}
        with one_copy_per_source(DASHBOARD_TABLE):
            insert_rows(
                self._session,
                DASHBOARD_TABLE,
                [dashboard_values(d, created, known.get(d.id), label) for d in batch],
            )
        insert_rows(self._session, TILE_TABLE, [tile for d in batch for tile in tile_values(d)])

    def release_origins(self, collection_id: str, label: str, source_ids: Collection[str]) -> None:
        self._origins.release(collection_id, label, source_ids)

    def update_all(self, dashboards: Sequence[Dashboard]) -> None:
        if not dashboards:
            return
        update_rows(
            self._session,
            DASHBOARD_TABLE,
            "id",
            [
                {
                    "name": d.name,
                    "description": d.description,
                    "available_filters": stored_text(d.available_filters),
                    "id": d.id,
                }
                for d in dashboards
            ],
        )
        ids = [d.id for d in dashboards]
        self._session.execute(
            delete(TileRow).where(id_among(TileRow.dashboard_id, ids, self._dialect))
        )
        insert_rows(self._session, TILE_TABLE, [t for d in dashboards for t in tile_values(d)])

    def containing_reports(self, report_ids: Collection[str]) -> list[Dashboard]:
        if not report_ids:
            return []
        holders = select(col(TileRow.dashboard_id)).where(
            id_among(TileRow.report_id, report_ids, self._dialect)
        )
        locking = (
            select(col(DashboardRow.id))
            .where(col(DashboardRow.id).in_(holders))
            .order_by(col(DashboardRow.id))
            .with_for_update()
        )
        held = list(self._session.execute(locking).scalars())
        # Read after the locks are granted, so a writer that held them first is seen.
        found = self.get_many(frozenset(held))
        return [found[i] for i in held if i in found]

    def remove_tiles_showing(self, report_ids: Collection[str]) -> None:
        if report_ids:
            self._session.execute(
                delete(TileRow).where(id_among(TileRow.report_id, report_ids, self._dialect))
            )

    def remove(self, dashboard_ids: Collection[str]) -> int:
        if not dashboard_ids:
            return 0
        # The dashboard rows first, their tiles by ON DELETE CASCADE: the same lock order as a
        # report delete, which holds the dashboards before it touches their tiles.
        result = self._session.execute(
            delete(DashboardRow).where(id_among(DashboardRow.id, dashboard_ids, self._dialect))
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


def _showing(report_id: str) -> Select[str]:
    """The IDs of the dashboards with a tile showing `report_id`."""
    return select(col(TileRow.dashboard_id)).where(col(TileRow.report_id) == report_id)
