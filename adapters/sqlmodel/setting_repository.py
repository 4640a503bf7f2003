from __future__ import annotations

from sqlalchemy import insert, update
from sqlmodel import Session

from adapters.sqlmodel.tables import SettingRow
from application.ports.setting_repository import SettingRepository


class SqlSettingRepository(SettingRepository):
    def __init__(self, session: Session) -> None:
        self._session = session

    def get_flag(self, name: str) -> bool | None:
        row = self._session.get(SettingRow, name)
        return None if row is None else row.value == "true"

    def set_flag(self, name: str, value: bool) -> None:
        text = "true" if value else "false"
        if self._session.get(SettingRow, name) is None:
            self._session.execute(insert(SettingRow), [{"name": name, "value": text}])
        else:
            self._session.execute(
                update(SettingRow).where(SettingRow.name == name).values(value=text)  # type: ignore[arg-type]
            )
