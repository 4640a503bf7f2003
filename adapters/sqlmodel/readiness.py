from __future__ import annotations

import logging

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from application.ports.readiness_probe import ReadinessProbe

log = logging.getLogger(__name__)


class SqlReadinessProbe(ReadinessProbe):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def is_ready(self) -> bool:
        try:
            with self._engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except SQLAlchemyError as error:
            log.warning("database not reachable: %s", type(error).__name__)
            return False
        return True
