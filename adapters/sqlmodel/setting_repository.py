from __future__ import annotations

from sqlmodel import Session

from adapters.sqlmodel.tables import SettingRow
from adapters.sqlmodel.upsert import upsert
from application.ports.setting_repository import SettingRepository

SETTING_TABLE = SettingRow.__table__  # type: ignore[attr-defined]


class SqlSettingRepository(SettingRepository):
    def __init__(self, session: Session) -> None:
        self._session = session

    def set_flag(self, name: str, value: bool) -> None:
        upsert(
            self._session,
            SETTING_TABLE,
            {"name": name, "value": "true" if value else "false"},
            ["name"],
        )
