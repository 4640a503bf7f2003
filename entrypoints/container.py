"""The composition root: settings, then engine and sessions, then the unit of work, then the use
cases."""

from __future__ import annotations

from dependency_injector import containers, providers

from adapters.sqlmodel.engine import create_database_engine, create_session_factory
from adapters.sqlmodel.readiness import SqlReadinessProbe
from adapters.sqlmodel.unit_of_work import SqlUnitOfWork
from application.use_cases.check_readiness import CheckReadiness
from application.use_cases.export_dashboards import ExportDashboards
from application.use_cases.export_reports import ExportReports
from application.use_cases.list_dashboard_ids import ListDashboardIds
from application.use_cases.list_report_ids import ListReportIds
from application.use_cases.load_seed import LoadSeed
from entrypoints.settings import Settings


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    engine = providers.Singleton(create_database_engine, settings.provided.database_url)
    session_factory = providers.Singleton(create_session_factory, engine)

    uow = providers.Factory(SqlUnitOfWork, session_factory=session_factory)
    readiness_probe = providers.Factory(SqlReadinessProbe, engine=engine)

    export_dashboards = providers.Factory(ExportDashboards, uow=uow)
    export_reports = providers.Factory(ExportReports, uow=uow)
    list_dashboard_ids = providers.Factory(ListDashboardIds, uow=uow)
    list_report_ids = providers.Factory(ListReportIds, uow=uow)
    load_seed = providers.Factory(LoadSeed, uow=uow)
    check_readiness = providers.Factory(CheckReadiness, probe=readiness_probe)


def build_container(settings: Settings) -> Container:
    return Container(settings=providers.Object(settings))
