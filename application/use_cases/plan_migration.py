from __future__ import annotations

from dataclasses import replace

from application.deploy.delivery import DeliveryOptions
from application.deploy.plan import DeployPlan, SentFile, names_of_deletes, plan_of
from application.ports.optimize_server import OptimizeServer
from application.use_cases.migrate_collection import MigrateCollection
from application.use_cases.pull_collection import DEFAULT_BATCH
from domain.selection import Selector


class PlanMigration:
    """What `migrate` with these options would do to the target (see
    `application.deploy.plan`): the migrate itself, run as a dry run, which writes nothing;
    then the names of what it would delete, from the target."""

    def __init__(
        self, migrate: MigrateCollection, target: OptimizeServer, batch_size: int = DEFAULT_BATCH
    ) -> None:
        self._migrate = migrate
        self._target = target
        self._batch = batch_size

    def __call__(
        self,
        source_collection: str,
        target_collection: str,
        options: DeliveryOptions | None = None,
        selector: Selector | None = None,
    ) -> DeployPlan:
        dry_run = replace(options or DeliveryOptions(), dry_run=True)
        result = self._migrate(source_collection, target_collection, dry_run, selector)
        items = result.delivery.items
        names = names_of_deletes(self._target, target_collection, items, self._batch)
        sent = SentFile(result.source_ids, result.source_kinds, result.source_names)
        return plan_of(result.delivery, sent, names)
