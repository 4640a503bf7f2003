from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

DEFAULT_DATABASE_URL = "sqlite:///data/boardport.sqlite3"
DEMO_TOKEN = "mySecret"  # noqa: S105 - the seed document's example token, used only by `serve --demo`


class SettingsError(ValueError):
    """A setting has a value boardport cannot use; the message names the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything boardport reads from its environment, each with a `BOARDPORT_` variable."""

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8090
    api_access_token: str | None = None
    workers: int = 1
    log_level: str = "info"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        def text(name: str, default: str) -> str:
            value = environ.get(f"BOARDPORT_{name}", "").strip()
            return value or default

        def number(name: str, default: int, minimum: int) -> int:
            raw = text(name, str(default))
            try:
                value = int(raw)
            except ValueError:
                raise SettingsError(
                    f"BOARDPORT_{name} must be a whole number, not {raw!r}"
                ) from None
            if value < minimum:
                raise SettingsError(f"BOARDPORT_{name} must be at least {minimum}, not {value}")
            return value

        token = environ.get("BOARDPORT_API_ACCESS_TOKEN") or environ.get(
            "OPTIMIZE_API_ACCESS_TOKEN"
        )
        return cls(
            database_url=text("DATABASE_URL", DEFAULT_DATABASE_URL),
            host=text("HOST", "127.0.0.1"),
            port=number("PORT", 8090, minimum=1),
            api_access_token=token or None,
            workers=number("WORKERS", 1, minimum=1),
            log_level=text("LOG_LEVEL", "info").lower(),
        )

    def as_environ(self) -> dict[str, str]:
        """The variables that rebuild these settings, for server worker processes."""
        environ = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value is not None:
                environ[f"BOARDPORT_{field.name.upper()}"] = str(value)
        return environ
