"""The composition root: settings, then engine and sessions, then units of work, then the use
cases."""

from __future__ import annotations

from datetime import timedelta

from dependency_injector import containers, providers

from adapters.export_cache import CachedExport
from adapters.msgspec_codec import MsgspecCodec
from adapters.sqlmodel.change_counter import SqlChangeCounter
from adapters.sqlmodel.collection_listing import SqlCollectionListing
from adapters.sqlmodel.engine import create_database_engine, create_session_factory
from adapters.sqlmodel.readiness import SqlReadinessProbe
from adapters.sqlmodel.unit_of_work import SqlReadingUnitOfWork, SqlWritingUnitOfWork
from adapters.sqlmodel.web_state import SqlPendingImports, SqlSignInThrottle, SqlWebSessions
from adapters.system_clock import SystemClock
from adapters.temporary_spool import TemporarySpool
from adapters.uuid_id_generator import UuidIdGenerator
from adapters.worker_threads import AnyioWorkerThreads
from application.ports.export import Export
from application.use_cases.add_to_collection_scope import AddToCollectionScope
from application.use_cases.browse_collections import BrowseCollections
from application.use_cases.browse_history import BrowseHistory
from application.use_cases.check_readiness import CheckReadiness
from application.use_cases.create_collection import CreateCollection
from application.use_cases.delete_dashboard import DeleteDashboard
from application.use_cases.delete_report import DeleteReport
from application.use_cases.export_entities import ExportEntities
from application.use_cases.forget_old_history import ForgetOldHistory
from application.use_cases.get_collection import GetCollection
from application.use_cases.import_entities import ImportEntities
from application.use_cases.list_collection_entities import ListCollectionEntities
from application.use_cases.list_collection_page import ListCollectionPage
from application.use_cases.list_collections import ListCollections
from application.use_cases.list_dashboard_ids import ListDashboardIds
from application.use_cases.list_definitions import ListDefinitions
from application.use_cases.list_report_ids import ListReportIds
from application.use_cases.load_seed import LoadSeed
from application.use_cases.prepare_for_import import PrepareForImport
from application.use_cases.preview_report_deletion import PreviewReportDeletion
from application.use_cases.register_definition import RegisterDefinition
from application.use_cases.restore_revision import RestoreRevision
from application.use_cases.revert_change import RevertChange
from application.use_cases.set_sharing import SetSharing
from application.use_cases.show_collection import ShowCollection
from application.use_cases.show_dashboard import ShowDashboard
from application.use_cases.show_report import ShowReport
from application.use_cases.write_once import WriteOnce
from entrypoints.settings import Settings
from entrypoints.token_verifiers import jwks_key_set_for, token_verifier_for
from entrypoints.wire.import_body import ImportFileReader


def hours(count: int) -> timedelta:
    return timedelta(hours=count)


def cached_unless_off(export: Export, counter: SqlChangeCounter, max_bytes: int) -> Export:
    """The export use case behind the export cache, unless the cache is given no memory."""
    return CachedExport(export, counter, max_bytes) if max_bytes > 0 else export


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    limits = providers.Callable(Settings.input_limits, settings)

    engine = providers.Singleton(create_database_engine, settings.provided.database_url)
    session_factory = providers.Singleton(create_session_factory, engine)

    reading_uow = providers.Factory(SqlReadingUnitOfWork, session_factory=session_factory)
    writing_uow = providers.Factory(SqlWritingUnitOfWork, session_factory=session_factory)
    readiness_probe = providers.Factory(SqlReadinessProbe, engine=engine)
    change_counter = providers.Singleton(SqlChangeCounter, engine=engine)
    ids = providers.Singleton(UuidIdGenerator)
    jwt_key_set = providers.Singleton(jwks_key_set_for, settings)
    token_verifier = providers.Singleton(token_verifier_for, settings, jwt_key_set)
    clock = providers.Singleton(SystemClock)
    # What the web pages keep between requests, shared by every worker and instance.
    session_store = providers.Singleton(SqlWebSessions, engine=engine, clock=clock)
    pending_import_store = providers.Singleton(SqlPendingImports, engine=engine, clock=clock)
    sign_in_throttle = providers.Singleton(SqlSignInThrottle, engine=engine, clock=clock)

    # Made once per process: the cache's kept answers are shared by every request, and the
    # use case under it is the one the cache was made with.
    export_uncached = providers.Singleton(
        ExportEntities,
        units=reading_uow.provider,
        threads=providers.Singleton(AnyioWorkerThreads),
        codec=providers.Singleton(MsgspecCodec),
        spool=providers.Object(TemporarySpool),
        limits=limits,
    )
    export = providers.Singleton(
        cached_unless_off,
        export=export_uncached,
        counter=change_counter,
        max_bytes=settings.provided.export_cache_bytes,
    )
    list_dashboard_ids = providers.Factory(ListDashboardIds, uow=reading_uow)
    list_report_ids = providers.Factory(ListReportIds, uow=reading_uow)
    list_collections = providers.Factory(ListCollections, uow=reading_uow)
    list_collection_entities = providers.Factory(ListCollectionEntities, uow=reading_uow)
    get_collection = providers.Factory(GetCollection, uow=reading_uow)
    list_definitions = providers.Factory(ListDefinitions, uow=reading_uow)
    check_readiness = providers.Factory(CheckReadiness, probe=readiness_probe)
    # What the web pages read.
    browse_collections = providers.Factory(BrowseCollections, uow=reading_uow)
    show_collection = providers.Factory(ShowCollection, uow=reading_uow)
    # One listing per process: it keeps the pages it read (`KeptPages`).
    collection_listing = providers.Singleton(SqlCollectionListing, session_factory=session_factory)
    list_collection_page = providers.Factory(
        ListCollectionPage, uow=reading_uow, listing=collection_listing
    )
    show_dashboard = providers.Factory(ShowDashboard, uow=reading_uow)
    show_report = providers.Factory(ShowReport, uow=reading_uow)
    preview_report_deletion = providers.Factory(PreviewReportDeletion, uow=reading_uow)

    import_entities = providers.Factory(
        ImportEntities,
        reading_uow=reading_uow,
        writing_uow=writing_uow,
        ids=ids,
        clock=clock,
        limits=limits,
    )
    write_once = providers.Factory(
        WriteOnce,
        reading_uow=reading_uow,
        clock=clock,
        keep_for=providers.Callable(hours, settings.provided.idempotency_hours),
    )
    create_collection = providers.Factory(
        CreateCollection, uow=writing_uow, ids=ids, clock=clock, limits=limits
    )
    add_to_collection_scope = providers.Factory(
        AddToCollectionScope, uow=writing_uow, limits=limits
    )
    register_definition = providers.Factory(RegisterDefinition, uow=writing_uow, limits=limits)
    prepare_for_import = providers.Factory(PrepareForImport, uow=writing_uow, limits=limits)
    delete_report = providers.Factory(DeleteReport, uow=writing_uow, clock=clock)
    delete_dashboard = providers.Factory(DeleteDashboard, uow=writing_uow, clock=clock)
    revert_change = providers.Factory(RevertChange, uow=writing_uow, clock=clock)
    restore_revision = providers.Factory(RestoreRevision, uow=writing_uow, clock=clock)
    browse_history = providers.Factory(BrowseHistory, uow=reading_uow)
    forget_old_history = providers.Factory(
        ForgetOldHistory, uow=writing_uow, clock=clock, days=settings.provided.history_days
    )
    set_sharing = providers.Factory(SetSharing, uow=writing_uow)
    load_seed = providers.Factory(LoadSeed, uow=writing_uow, clock=clock)

    read_import_file = providers.Singleton(
        ImportFileReader, max_depth=settings.provided.max_json_depth
    )


def build_container(settings: Settings) -> Container:
    return Container(settings=providers.Object(settings))
