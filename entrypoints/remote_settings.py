"""How to reach one server the client talks to, read from flags and the environment. Credentials
come only from the environment, never from a flag that `ps` shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from entrypoints.settings import SettingsError

DEFAULT_TIMEOUT_SECONDS = 60.0
DEFAULT_ATTEMPTS = 5
DEFAULT_BACKOFF_SECONDS = 0.5
DEFAULT_MAX_WAIT_SECONDS = 300.0
# The Camunda SDK's own variable names, read by commands that talk to one server.
CAMUNDA_NAMES = {
    "url": "CAMUNDA_OPTIMIZE_BASE_URL",
    "client_id": "ZEEBE_CLIENT_ID",
    "client_secret": "ZEEBE_CLIENT_SECRET",
    "token_url": "CAMUNDA_OAUTH_URL",
    "audience": "CAMUNDA_OPTIMIZE_OAUTH_AUDIENCE",
}


class Role(StrEnum):
    SOURCE = "SOURCE"
    TARGET = "TARGET"


@dataclass(frozen=True, slots=True)
class ClientCredentials:
    token_url: str
    client_id: str
    client_secret: str
    audience: str | None


@dataclass(frozen=True, slots=True)
class RemoteSettings:
    url: str
    token: str | None = None
    credentials: ClientCredentials | None = None
    ca_cert: str | None = None
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    attempts: int = DEFAULT_ATTEMPTS
    backoff_seconds: float = DEFAULT_BACKOFF_SECONDS
    max_wait_seconds: float = DEFAULT_MAX_WAIT_SECONDS

    @classmethod
    def from_environ(
        cls,
        environ: Mapping[str, str],
        role: Role,
        url: str | None,
        *,
        single_server: bool,
        ca_cert: str | None = None,
    ) -> RemoteSettings:
        """`BOARDPORT_<ROLE>_TOKEN`, or `BOARDPORT_<ROLE>_TOKEN_URL`, `_CLIENT_ID`,
        `_CLIENT_SECRET` and `_AUDIENCE` for the client-credentials grant. With one server,
        the Camunda SDK's names stand in for those that are unset, and for the URL."""

        def value(name: str) -> str | None:
            own = environ.get(f"BOARDPORT_{role.value}_{name.upper()}", "").strip()
            if own or not single_server or name not in CAMUNDA_NAMES:
                return own or None
            return environ.get(CAMUNDA_NAMES[name], "").strip() or None

        token = value("token")
        return cls(
            url=_server_url(environ, role, url, single_server=single_server),
            token=token,
            credentials=None if token is not None else _credentials(role, value),
            ca_cert=ca_cert,
            timeout_seconds=_number(
                environ, "BOARDPORT_CLIENT_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS
            ),
            attempts=int(_number(environ, "BOARDPORT_CLIENT_ATTEMPTS", DEFAULT_ATTEMPTS)),
            backoff_seconds=_number(
                environ, "BOARDPORT_CLIENT_BACKOFF_SECONDS", DEFAULT_BACKOFF_SECONDS, minimum=0.0
            ),
            max_wait_seconds=_number(
                environ, "BOARDPORT_CLIENT_MAX_WAIT_SECONDS", DEFAULT_MAX_WAIT_SECONDS, minimum=0.0
            ),
        )


def _server_url(
    environ: Mapping[str, str], role: Role, url: str | None, *, single_server: bool
) -> str:
    chosen = url or (
        environ.get(CAMUNDA_NAMES["url"], "").strip() or None if single_server else None
    )
    flag = "--from" if role is Role.SOURCE else "--to"
    if not chosen:
        raise SettingsError(f"name the {role.value.lower()} server with {flag} URL")
    if not chosen.startswith(("http://", "https://")):
        raise SettingsError(f"{flag} must be an http:// or https:// URL, not {chosen!r}")
    return chosen.rstrip("/")


def _credentials(role: Role, value: Callable[[str], str | None]) -> ClientCredentials:
    """The client-credentials grant's settings, when no static token is set: all of them."""
    grant = {n: value(n) for n in ("token_url", "client_id", "client_secret")}
    missing = [n for n, v in grant.items() if v is None]
    if missing:
        prefix = f"BOARDPORT_{role.value}_"
        raise SettingsError(
            f"no credentials for the {role.value.lower()} server: set {prefix}TOKEN, "
            f"or {', '.join(prefix + n.upper() for n in grant)} (missing: "
            f"{', '.join(prefix + n.upper() for n in missing)})"
        )
    return ClientCredentials(
        str(grant["token_url"]),
        str(grant["client_id"]),
        str(grant["client_secret"]),
        value("audience"),
    )


def _number(environ: Mapping[str, str], name: str, default: float, minimum: float = 1.0) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum:g}, not {raw}")
    return value
