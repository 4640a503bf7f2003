"""`boardport serve` with JWT settings: it refuses what cannot work and names the setting, and
starts with a key set alone, saying what it accepts."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from entrypoints.cli import main as cli_main

JWKS = "https://login.example.com/realms/camunda-platform/protocol/openid-connect/certs"


@pytest.mark.parametrize(
    ("environ", "names"),
    [
        ({"BOARDPORT_JWT_JWKS_URL": JWKS}, "BOARDPORT_JWT_AUDIENCE"),
        (
            {"SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWK_SET_URI": JWKS},
            "BOARDPORT_JWT_AUDIENCE (or CAMUNDA_OPTIMIZE_API_AUDIENCE)",
        ),
        (
            {
                "BOARDPORT_JWT_JWKS_URL": "ftp://login.example.com/jwks",
                "BOARDPORT_JWT_AUDIENCE": "a",
            },
            "BOARDPORT_JWT_JWKS_URL",
        ),
    ],
)
@pytest.mark.parametrize("demo", [[], ["--demo"]])
def test_serve_refuses_a_key_set_without_audience_or_not_over_http_and_names_the_setting(
    serving: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    environ: dict[str, str],
    names: str,
    demo: list[str],
) -> None:
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli_main.cli, ["serve", *demo])
    assert result.exit_code == 2, result.output
    assert "refusing to serve" in result.output
    assert names in result.output
    assert not serving


def test_serve_starts_with_a_key_set_and_no_static_token_and_says_what_it_accepts(
    serving: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOARDPORT_JWT_JWKS_URL", JWKS)
    monkeypatch.setenv("BOARDPORT_JWT_AUDIENCE", "optimize-api")
    result = CliRunner().invoke(cli_main.cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert serving["app"] == "entrypoints.asgi:create_served_app"
    assert f"JWTs for audience optimize-api signed by {JWKS}" in result.output
    assert "NO API token" not in result.output
