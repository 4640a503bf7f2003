"""The client's TLS trust: always verified; a private CA's certificate is added to the default
trust, not put in its place."""

from __future__ import annotations

import ssl
from pathlib import Path

from entrypoints.client_container import tls_context, trust_for
from entrypoints.remote_settings import ClientCredentials, RemoteSettings
from tests.system.certificates import Authority


def _subjects(context: ssl.SSLContext) -> list[object]:
    return [certificate["subject"] for certificate in context.get_ca_certs()]


def test_the_default_trust_is_verified_and_not_empty() -> None:
    context = tls_context(None)
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname
    assert len(context.get_ca_certs()) > 10


def test_a_private_ca_is_added_to_the_default_trust(tmp_path: Path) -> None:
    ca_file = Authority.make("a private CA for this test").write(tmp_path / "ca.pem")
    default = _subjects(tls_context(None))
    added = _subjects(tls_context(str(ca_file)))
    assert len(added) == len(default) + 1
    assert set(map(str, default)) <= set(map(str, added))
    assert ((("commonName", "a private CA for this test"),),) in added
    context = tls_context(str(ca_file))
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname


def test_a_plain_http_server_with_a_static_token_gets_a_context_trusting_no_one() -> None:
    context = trust_for(RemoteSettings("http://127.0.0.1:8080", token="t" * 32))
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.get_ca_certs() == []
    assert context.cert_store_stats()["x509_ca"] == 0


def test_an_https_server_or_a_token_url_gets_the_verified_trust() -> None:
    grant = ClientCredentials("https://login.example/token", "id", "secret", None)
    for settings in (
        RemoteSettings("https://optimize.example", token="t" * 32),
        RemoteSettings("HTTPS://optimize.example", token="t" * 32),
        RemoteSettings("http://optimize.example", credentials=grant),
    ):
        trust = trust_for(settings)
        assert trust.cert_store_stats()["x509_ca"] > 0
        assert trust.get_ca_certs() == tls_context(None).get_ca_certs()
