from __future__ import annotations

import pytest

from entrypoints.settings import DEFAULT_DATABASE_URL, Settings, SettingsError


def test_defaults_serve_the_embedded_database_on_loopback_without_a_token() -> None:
    settings = Settings.from_environ({})
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert (settings.host, settings.port, settings.workers) == ("127.0.0.1", 8090, 1)
    assert settings.api_access_token is None


def test_optimizes_own_token_variable_is_accepted() -> None:
    assert Settings.from_environ({"OPTIMIZE_API_ACCESS_TOKEN": "abc"}).api_access_token == "abc"


def test_boardports_token_variable_wins_over_optimizes() -> None:
    environ = {"OPTIMIZE_API_ACCESS_TOKEN": "abc", "BOARDPORT_API_ACCESS_TOKEN": "def"}
    assert Settings.from_environ(environ).api_access_token == "def"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"BOARDPORT_PORT": "http"}, "BOARDPORT_PORT must be a whole number"),
        ({"BOARDPORT_WORKERS": "0"}, "BOARDPORT_WORKERS must be at least 1"),
    ],
)
def test_a_bad_value_names_its_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_environ(environ)


def test_settings_survive_the_trip_through_the_environment() -> None:
    settings = Settings(database_url="sqlite:///x.db", port=9000, api_access_token="t", workers=3)
    assert Settings.from_environ(settings.as_environ()) == settings


def test_a_token_read_from_a_file_loses_its_surrounding_whitespace() -> None:
    settings = Settings.from_environ({"BOARDPORT_API_ACCESS_TOKEN": "  a-long-enough-token-123\n"})
    assert settings.api_access_token == "a-long-enough-token-123"


def test_a_short_token_is_refused_for_production_and_a_blank_one_is_no_token() -> None:
    assert Settings.from_environ({"BOARDPORT_API_ACCESS_TOKEN": "short"}).token_problem()
    spaces = Settings.from_environ({"BOARDPORT_API_ACCESS_TOKEN": " " * 20})
    assert spaces.api_access_token is None
    assert Settings.from_environ({"BOARDPORT_API_ACCESS_TOKEN": "x" * 16}).token_problem() is None
