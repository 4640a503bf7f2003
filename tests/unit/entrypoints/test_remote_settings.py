from __future__ import annotations

import pytest

from entrypoints.remote_settings import ClientCredentials, RemoteSettings, Role
from entrypoints.settings import SettingsError

URL = "https://optimize.example.com"


def test_a_static_token_is_read_for_its_role_only() -> None:
    environ = {"BOARDPORT_SOURCE_TOKEN": "s", "BOARDPORT_TARGET_TOKEN": "t"}
    source = RemoteSettings.from_environ(environ, Role.SOURCE, URL, single_server=False)
    target = RemoteSettings.from_environ(environ, Role.TARGET, URL, single_server=False)
    assert (source.token, target.token) == ("s", "t")


def test_the_client_credentials_grant_is_read_from_its_four_variables() -> None:
    environ = {
        "BOARDPORT_TARGET_TOKEN_URL": "https://login/oauth/token",
        "BOARDPORT_TARGET_CLIENT_ID": "id",
        "BOARDPORT_TARGET_CLIENT_SECRET": "secret",
        "BOARDPORT_TARGET_AUDIENCE": "optimize-api",
    }
    settings = RemoteSettings.from_environ(environ, Role.TARGET, URL, single_server=False)
    assert settings.credentials == ClientCredentials(
        "https://login/oauth/token", "id", "secret", "optimize-api"
    )


def test_one_server_commands_fall_back_to_the_camunda_sdk_names() -> None:
    environ = {
        "CAMUNDA_OPTIMIZE_BASE_URL": "https://sdk.example.com/",
        "ZEEBE_CLIENT_ID": "zid",
        "ZEEBE_CLIENT_SECRET": "zsecret",
        "CAMUNDA_OAUTH_URL": "https://login/token",
        "CAMUNDA_OPTIMIZE_OAUTH_AUDIENCE": "optimize.camunda.io",
        "BOARDPORT_SOURCE_CLIENT_ID": "own-id",
    }
    settings = RemoteSettings.from_environ(environ, Role.SOURCE, None, single_server=True)
    assert settings.url == "https://sdk.example.com"
    assert settings.credentials == ClientCredentials(
        "https://login/token", "own-id", "zsecret", "optimize.camunda.io"
    )


def test_migrate_does_not_read_the_camunda_sdk_names() -> None:
    environ = {"ZEEBE_CLIENT_ID": "zid", "ZEEBE_CLIENT_SECRET": "z", "CAMUNDA_OAUTH_URL": "u"}
    with pytest.raises(SettingsError, match="BOARDPORT_SOURCE_TOKEN"):
        RemoteSettings.from_environ(environ, Role.SOURCE, URL, single_server=False)


def test_missing_credentials_name_the_variables_to_set() -> None:
    environ = {"BOARDPORT_TARGET_CLIENT_ID": "id"}
    with pytest.raises(SettingsError) as refusal:
        RemoteSettings.from_environ(environ, Role.TARGET, URL, single_server=True)
    assert "BOARDPORT_TARGET_TOKEN_URL, BOARDPORT_TARGET_CLIENT_SECRET" in str(refusal.value)


@pytest.mark.parametrize("url", [None, "ftp://x", "optimize.example.com"])
def test_a_server_needs_an_http_url(url: str | None) -> None:
    with pytest.raises(SettingsError):
        RemoteSettings.from_environ(
            {"BOARDPORT_TARGET_TOKEN": "t"}, Role.TARGET, url, single_server=True
        )


def test_the_longest_wait_the_client_accepts_is_300_seconds_unless_set() -> None:
    environ = {"BOARDPORT_SOURCE_TOKEN": "t"}
    default = RemoteSettings.from_environ(environ, Role.SOURCE, "http://s", single_server=True)
    assert default.max_wait_seconds == 300.0
    environ["BOARDPORT_CLIENT_MAX_WAIT_SECONDS"] = "30"
    chosen = RemoteSettings.from_environ(environ, Role.SOURCE, "http://s", single_server=True)
    assert chosen.max_wait_seconds == 30.0
