"""What stops a push or a migrate on the client's side: each with an errorCode of the client's
own, reported as the servers' errors are."""

from __future__ import annotations

from application.ports.optimize_server import ImportAnswerItem


class DeployStopped(Exception):
    error_code = "deployStopped"


class DirectoryIncomplete(DeployStopped):
    """The directory is not the whole of a pulled collection, and --partial was not given."""

    error_code = "directoryIncomplete"


class PruneUnavailable(DeployStopped):
    """--prune where the client cannot know what an earlier deploy created."""

    error_code = "pruneUnavailable"


class ImportAnswerLost(DeployStopped):
    """An import was sent and its answer lost. `landed`: the entities it created, when the
    target's collection shows them; None when that cannot be told."""

    error_code = "importAnswerLost"

    def __init__(self, message: str, landed: tuple[ImportAnswerItem, ...] | None = None) -> None:
        super().__init__(message)
        self.landed = landed
