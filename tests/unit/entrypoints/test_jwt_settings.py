from __future__ import annotations

import asyncio

import pytest

from adapters.auth.either_token import StaticTokenOrJwtVerifier
from adapters.auth.jwt_token import JwtVerifier
from adapters.auth.static_token import StaticTokenVerifier
from domain.errors import NotAuthorized
from entrypoints.container import build_container
from entrypoints.settings import Settings, SettingsError

JWKS = "https://login.example.com/realms/camunda-platform/protocol/openid-connect/certs"
SPRING_JWKS = "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWK_SET_URI"


def test_optimizes_own_jwt_variables_are_read_when_boardports_are_unset() -> None:
    settings = Settings.from_environ(
        {SPRING_JWKS: JWKS, "CAMUNDA_OPTIMIZE_API_AUDIENCE": "optimize-api"}
    )
    assert (settings.jwt_jwks_url, settings.jwt_audience, settings.jwt_issuer) == (
        JWKS,
        "optimize-api",
        None,
    )


def test_boardports_jwt_variables_win_over_optimizes() -> None:
    settings = Settings.from_environ(
        {
            SPRING_JWKS: "https://old.example.com/jwks",
            "CAMUNDA_OPTIMIZE_API_AUDIENCE": "old-api",
            "BOARDPORT_JWT_JWKS_URL": JWKS,
            "BOARDPORT_JWT_AUDIENCE": "optimize-api",
            "BOARDPORT_JWT_ISSUER": "https://login.example.com/realms/camunda-platform",
        }
    )
    assert settings.jwt_jwks_url == JWKS
    assert settings.jwt_audience == "optimize-api"
    assert settings.jwt_issuer == "https://login.example.com/realms/camunda-platform"


def test_jwt_settings_survive_the_trip_through_the_environment() -> None:
    settings = Settings(jwt_jwks_url=JWKS, jwt_audience="optimize-api", jwt_issuer="https://i")
    assert Settings.from_environ(settings.as_environ()) == settings


@pytest.mark.parametrize(
    ("environ", "names"),
    [
        ({"BOARDPORT_JWT_JWKS_URL": JWKS}, "BOARDPORT_JWT_AUDIENCE"),
        ({SPRING_JWKS: JWKS}, "CAMUNDA_OPTIMIZE_API_AUDIENCE"),
        (
            {"BOARDPORT_JWT_JWKS_URL": "file:///etc/jwks.json", "BOARDPORT_JWT_AUDIENCE": "a"},
            "http:// or https://",
        ),
        (
            {"BOARDPORT_JWT_JWKS_URL": "login.example.com/jwks", "BOARDPORT_JWT_AUDIENCE": "a"},
            "URL",
        ),
        ({"BOARDPORT_JWT_JWKS_URL": "https://", "BOARDPORT_JWT_AUDIENCE": "a"}, "URL"),
    ],
)
def test_a_key_set_without_audience_or_not_over_http_is_a_problem_that_names_the_setting(
    environ: dict[str, str], names: str
) -> None:
    problem = Settings.from_environ(environ).jwt_problem()
    assert problem is not None
    assert names in problem


def test_no_key_set_or_a_complete_one_is_no_problem() -> None:
    assert Settings.from_environ({}).jwt_problem() is None
    complete = {"BOARDPORT_JWT_JWKS_URL": JWKS, "BOARDPORT_JWT_AUDIENCE": "optimize-api"}
    assert Settings.from_environ(complete).jwt_problem() is None


@pytest.mark.parametrize(
    ("token", "jwks", "verifier"),
    [
        (None, None, StaticTokenVerifier),
        ("a-long-enough-token-123", None, StaticTokenVerifier),
        (None, JWKS, JwtVerifier),
        ("a-long-enough-token-123", JWKS, StaticTokenOrJwtVerifier),
    ],
)
def test_the_container_chooses_the_verifier_the_settings_ask_for(
    token: str | None, jwks: str | None, verifier: type
) -> None:
    settings = Settings(api_access_token=token, jwt_jwks_url=jwks, jwt_audience="optimize-api")
    assert type(build_container(settings).token_verifier()) is verifier


def test_the_container_fails_closed_on_a_key_set_without_audience() -> None:
    with pytest.raises(SettingsError, match="BOARDPORT_JWT_AUDIENCE"):
        build_container(Settings(jwt_jwks_url=JWKS)).token_verifier()


def test_with_nothing_configured_the_refusal_names_the_jwt_settings_too() -> None:
    verifier = build_container(Settings(api_access_token=None)).token_verifier()
    with pytest.raises(NotAuthorized, match="No API access token is configured") as refused:
        asyncio.run(verifier.verify("anything"))
    assert "BOARDPORT_JWT_JWKS_URL" in refused.value.detail
    assert "BOARDPORT_JWT_AUDIENCE" in refused.value.detail
