"""Which TokenVerifier the settings ask for: the static token, JWTs from a key set, or either."""

from __future__ import annotations

from adapters.auth.either_token import StaticTokenOrJwtVerifier
from adapters.auth.jwks import JwksKeySet
from adapters.auth.jwt_token import JwtVerifier
from adapters.auth.static_token import StaticTokenVerifier
from application.ports.token_verifier import TokenVerifier
from entrypoints.settings import Settings, SettingsError


def jwks_key_set_for(settings: Settings) -> JwksKeySet | None:
    if settings.jwt_jwks_url is None:
        return None
    return JwksKeySet(settings.jwt_jwks_url)


def token_verifier_for(settings: Settings, jwt_key_set: JwksKeySet | None) -> TokenVerifier:
    static = StaticTokenVerifier(settings.api_access_token)
    if jwt_key_set is None:
        return static
    problem = settings.jwt_problem()
    if problem is not None or settings.jwt_audience is None:
        # `serve` refuses these settings before it starts; an app built around it fails closed.
        raise SettingsError(problem or "BOARDPORT_JWT_AUDIENCE is not set")
    jwt = JwtVerifier(jwt_key_set, audience=settings.jwt_audience, issuer=settings.jwt_issuer)
    if settings.api_access_token is None:
        return jwt
    return StaticTokenOrJwtVerifier(static, jwt)
