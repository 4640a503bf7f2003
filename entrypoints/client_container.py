"""The client's composition root: one HTTP client per server, from its settings, and the use
cases of pull, push, migrate, plan and list wired to them, and the history of the server
`--from` names."""

from __future__ import annotations

import ssl

import httpx
from dependency_injector import containers, providers

from adapters.msgspec_codec import MsgspecCodec
from adapters.release_converter import ExportFormatReleaseConverter
from adapters.remote.http_calls import HttpCalls
from adapters.remote.http_history_server import HttpHistoryServer
from adapters.remote.http_optimize_server import HttpOptimizeServer
from adapters.remote.retry import RetryPolicy, Waits
from adapters.remote.tokens import ClientCredentialsToken, StaticToken, TokenSource
from adapters.temporary_spool import TemporarySpool
from application.ports.progress import Progress, SilentProgress
from application.use_cases.list_remote_entities import ListRemoteEntities
from application.use_cases.migrate_collection import MigrateCollection
from application.use_cases.plan_migration import PlanMigration
from application.use_cases.plan_push import PlanPush
from application.use_cases.pull_collection import PullCollection
from application.use_cases.push_directory import PushDirectory
from entrypoints.remote_settings import RemoteSettings


def tls_context(ca_cert: str | None) -> ssl.SSLContext:
    """TLS is always verified: against httpx's default trust (certifi's bundle, or the file
    SSL_CERT_FILE names), and a private CA's certificate file added to it, not put in its
    place, so that one run can reach a server of the private CA and a public one."""
    context = httpx.create_ssl_context()
    if ca_cert is not None:
        context.load_verify_locations(cafile=ca_cert)
    return context


def trust_for(settings: RemoteSettings) -> ssl.SSLContext:
    """A server reached over plain HTTP with a static token makes no TLS connection: its
    client gets a verifying context that trusts no one, which loads no bundle and would refuse
    any certificate."""
    if settings.url.lower().startswith("http://") and settings.credentials is None:
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies: CERT_REQUIRED, hostnames
    return tls_context(settings.ca_cert)


def remote_calls(settings: RemoteSettings, role: str, progress: Progress) -> HttpCalls:
    """`role` ("source", "target") names the server in its errors and its waits."""
    http = httpx.Client(
        timeout=settings.timeout_seconds,
        verify=trust_for(settings),
        follow_redirects=False,
    )
    policy = RetryPolicy(
        attempts=settings.attempts,
        base_delay=settings.backoff_seconds,
        max_wait=settings.max_wait_seconds,
    )
    waits = Waits(policy, progress)
    tokens: TokenSource
    if settings.token is not None:
        tokens = StaticToken(settings.token)
    else:
        assert settings.credentials is not None  # noqa: S101 - RemoteSettings guarantees one
        grant = settings.credentials
        tokens = ClientCredentialsToken(
            http,
            grant.token_url,
            client_id=grant.client_id,
            client_secret=grant.client_secret,
            audience=grant.audience,
            waits=waits,
        )
    return HttpCalls(settings.url, role, tokens, http, waits)


def build_remote_server(
    settings: RemoteSettings, role: str, progress: Progress
) -> HttpOptimizeServer:
    return HttpOptimizeServer(remote_calls(settings, role, progress))


def build_history_server(
    settings: RemoteSettings, role: str, progress: Progress
) -> HttpHistoryServer:
    return HttpHistoryServer(remote_calls(settings, role, progress))


class ClientContainer(containers.DeclarativeContainer):
    source_settings = providers.Dependency(instance_of=RemoteSettings)
    target_settings = providers.Dependency(instance_of=RemoteSettings)
    progress = providers.Object(SilentProgress())
    batch_size = providers.Object(100)

    source = providers.Singleton(build_remote_server, source_settings, "source", progress)
    target = providers.Singleton(build_remote_server, target_settings, "target", progress)
    history = providers.Singleton(build_history_server, source_settings, "server", progress)
    """The history of the server `--from` names (its settings are the source's)."""
    converter = providers.Singleton(ExportFormatReleaseConverter)
    spool = providers.Factory(TemporarySpool)

    pull = providers.Factory(
        PullCollection, source=source, progress=progress, batch_size=batch_size
    )
    push = providers.Factory(
        PushDirectory,
        target=target,
        spool=spool,
        converter=converter,
        progress=progress,
        batch_size=batch_size,
        codec=providers.Singleton(MsgspecCodec),
    )
    migrate = providers.Factory(
        MigrateCollection,
        source=source,
        target=target,
        spool=spool,
        converter=converter,
        progress=progress,
        batch_size=batch_size,
    )
    list_remote = providers.Factory(ListRemoteEntities, source=source, batch_size=batch_size)
    plan_push = providers.Factory(PlanPush, push=push, target=target, batch_size=batch_size)
    plan_migration = providers.Factory(
        PlanMigration, migrate=migrate, target=target, batch_size=batch_size
    )
