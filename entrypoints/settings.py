from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from urllib.parse import urlsplit

from domain.limits import InputLimits

DEFAULT_DATABASE_URL = "sqlite:///data/boardport.sqlite3"
DEMO_TOKEN = "mySecret"  # noqa: S105 - the seed document's example token, used only by `serve --demo`
MIN_TOKEN_LENGTH = 16
MEBIBYTE = 1024 * 1024
_DEFAULT_LIMITS = InputLimits()


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
    cors_allow_origins: tuple[str, ...] = ()
    max_body_bytes: int = 64 * MEBIBYTE
    export_cache_bytes: int = 32 * MEBIBYTE
    max_json_depth: int = 64
    max_export_ids: int = _DEFAULT_LIMITS.max_export_ids
    max_import_entities: int = _DEFAULT_LIMITS.max_import_entities
    max_id_length: int = _DEFAULT_LIMITS.max_id_length
    max_name_length: int = _DEFAULT_LIMITS.max_name_length
    jwt_jwks_url: str | None = None
    jwt_audience: str | None = None
    jwt_issuer: str | None = None
    idempotency_hours: int = 24
    history_days: int = 90
    """Changes older than this go (an entity's current revision stays); 0 keeps everything."""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        read = _Variables(environ)
        defaults = cls()
        return cls(
            database_url=read.text("DATABASE_URL", DEFAULT_DATABASE_URL),
            host=read.text("HOST", defaults.host),
            port=read.number("PORT", defaults.port),
            api_access_token=read.token(),
            workers=read.number("WORKERS", defaults.workers),
            log_level=read.text("LOG_LEVEL", defaults.log_level).lower(),
            cors_allow_origins=read.listed("CORS_ALLOW_ORIGINS"),
            max_body_bytes=read.number("MAX_BODY_BYTES", defaults.max_body_bytes, minimum=1024),
            export_cache_bytes=read.number(
                "EXPORT_CACHE_BYTES", defaults.export_cache_bytes, minimum=0
            ),
            max_json_depth=read.number("MAX_JSON_DEPTH", defaults.max_json_depth, minimum=8),
            idempotency_hours=read.number(
                "IDEMPOTENCY_HOURS", defaults.idempotency_hours, minimum=1
            ),
            history_days=read.number("HISTORY_DAYS", defaults.history_days, minimum=0),
            max_export_ids=read.number("MAX_EXPORT_IDS", defaults.max_export_ids),
            max_import_entities=read.number("MAX_IMPORT_ENTITIES", defaults.max_import_entities),
            max_id_length=read.number("MAX_ID_LENGTH", defaults.max_id_length, minimum=36),
            max_name_length=read.number("MAX_NAME_LENGTH", defaults.max_name_length),
            jwt_jwks_url=read.either(
                "JWT_JWKS_URL", "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWK_SET_URI"
            ),
            jwt_audience=read.either("JWT_AUDIENCE", "CAMUNDA_OPTIMIZE_API_AUDIENCE"),
            jwt_issuer=read.either("JWT_ISSUER"),
        )

    def for_demo(self) -> Settings:
        """`serve --demo`'s settings: these, with the demo token unless one is configured."""
        if self.api_access_token is not None:
            return self
        return replace(self, api_access_token=DEMO_TOKEN)

    def input_limits(self) -> InputLimits:
        return InputLimits(
            max_export_ids=self.max_export_ids,
            max_import_entities=self.max_import_entities,
            max_id_length=self.max_id_length,
            max_name_length=self.max_name_length,
        )

    def token_problem(self) -> str | None:
        """Why the configured token must not be used in production, if it must not."""
        if self.api_access_token is not None and len(self.api_access_token) < MIN_TOKEN_LENGTH:
            return (
                f"BOARDPORT_API_ACCESS_TOKEN (or OPTIMIZE_API_ACCESS_TOKEN) has "
                f"{len(self.api_access_token)} characters; use at least {MIN_TOKEN_LENGTH}, "
                "for example `python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`."
            )
        return None

    def jwt_problem(self) -> str | None:
        """Why the JWT settings cannot be used, if they cannot: a key set without an audience
        would accept any provider's token meant for any service."""
        if self.jwt_jwks_url is None:
            return None
        if (
            urlsplit(self.jwt_jwks_url).scheme not in {"http", "https"}
            or not urlsplit(self.jwt_jwks_url).netloc
        ):
            return (
                "BOARDPORT_JWT_JWKS_URL (or SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWK_SET_URI) "
                "must be an http:// or https:// URL."
            )
        if self.jwt_audience is None:
            return (
                "a JWT key set is configured (BOARDPORT_JWT_JWKS_URL) but no audience: set "
                "BOARDPORT_JWT_AUDIENCE (or CAMUNDA_OPTIMIZE_API_AUDIENCE) to the audience the "
                "tokens are issued for."
            )
        return None

    def as_environ(self) -> dict[str, str]:
        """The variables that rebuild these settings, for server worker processes."""
        environ = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, tuple):
                value = ",".join(value)
            if value is not None:
                environ[f"BOARDPORT_{field.name.upper()}"] = str(value)
        return environ


class _Variables:
    """Reads `BOARDPORT_<name>` variables, each stripped, blank as unset."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def text(self, name: str, default: str) -> str:
        value = self._environ.get(f"BOARDPORT_{name}", "").strip()
        return value or default

    def number(self, name: str, default: int, minimum: int = 1) -> int:
        raw = self.text(name, str(default))
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"BOARDPORT_{name} must be a whole number, not {raw!r}") from None
        if value < minimum:
            raise SettingsError(f"BOARDPORT_{name} must be at least {minimum}, not {value}")
        return value

    def listed(self, name: str) -> tuple[str, ...]:
        """A comma-separated list, blanks left out."""
        return tuple(item.strip() for item in self.text(name, "").split(",") if item.strip())

    def token(self) -> str | None:
        # Stripped: a token read from a secret file often ends in a newline.
        token = (
            self._environ.get("BOARDPORT_API_ACCESS_TOKEN")
            or self._environ.get("OPTIMIZE_API_ACCESS_TOKEN")
            or ""
        ).strip()
        return token or None

    def either(self, name: str, optimize_name: str | None = None) -> str | None:
        """BOARDPORT_<name>, else Optimize's own variable for the same setting."""
        value = self._environ.get(f"BOARDPORT_{name}", "").strip()
        if not value and optimize_name is not None:
            value = self._environ.get(optimize_name, "").strip()
        return value or None
