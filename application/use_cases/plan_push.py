from __future__ import annotations

from dataclasses import replace

from application.deploy.plan import DeployPlan, SentFile, names_of_deletes, plan_of
from application.ports.optimize_server import OptimizeServer
from application.use_cases.pull_collection import DEFAULT_BATCH
from application.use_cases.push_directory import PushDirectory, PushOptions


class PlanPush:
    """What `push` with these options would do to the target (see `application.deploy.plan`):
    the push itself, run as a dry run, which writes nothing to the target nor to the
    directory's state; then the names of what it would delete, from the target."""

    def __init__(
        self, push: PushDirectory, target: OptimizeServer, batch_size: int = DEFAULT_BATCH
    ) -> None:
        self._push = push
        self._target = target
        self._batch = batch_size

    def __call__(self, collection_id: str, options: PushOptions | None = None) -> DeployPlan:
        options = options or PushOptions()
        dry_run = replace(options, delivery=replace(options.delivery, dry_run=True))
        result = self._push(collection_id, dry_run)
        items = result.delivery.items
        names = names_of_deletes(self._target, collection_id, items, self._batch)
        sent = SentFile(result.source_ids, result.source_kinds, result.source_names)
        return plan_of(result.delivery, sent, names)
