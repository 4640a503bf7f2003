"""What an older release's format cannot hold, and the one rule about it: an export or a
conversion that would lose something is refused, naming each entity and loss, unless losing it
was allowed. The server's export, the web pages' download, the CLI's export and convert, and
the client's conversion before an import all decide with `refuse_losses`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.entity_type import EntityType
from domain.errors import BadRequest
from domain.export_format.reader import describe
from domain.export_format.releases import Release
from domain.export_format.shape import Loss

MAX_LISTED = 20
API_HINT = "Add allowLoss=true to write it without these."


@dataclass(frozen=True, slots=True)
class EntityLosses:
    """What one entity loses in an older release's format."""

    entity_type: EntityType
    entity_id: str
    losses: tuple[Loss, ...]

    def __str__(self) -> str:
        return f"{describe(self.entity_type, self.entity_id)}: " + "; ".join(map(str, self.losses))


class LossesRefused(BadRequest):
    """The older format cannot hold everything, and the caller did not allow losses. `listing`
    names them; the detail adds `hint`, which says how to allow them where the caller is (a
    query parameter, a flag, a box to tick)."""

    def __init__(
        self, release: Release, losses: Iterable[EntityLosses], hint: str = API_HINT
    ) -> None:
        self.release = release
        self.losses = tuple(losses)
        shown = "; ".join(map(str, self.losses[:MAX_LISTED]))
        more = len(self.losses) - MAX_LISTED
        extra = f" (and {more} more entities)" if more > 0 else ""
        self.listing = (
            f"Release {release.name}'s format cannot hold all of this export: {shown}{extra}."
        )
        super().__init__(f"{self.listing} {hint}")


def refuse_losses(
    release: Release,
    losses: Sequence[EntityLosses],
    *,
    allow_loss: bool,
    hint: str = API_HINT,
) -> None:
    """Raises LossesRefused when anything would be lost and losing it was not allowed."""
    if losses and not allow_loss:
        raise LossesRefused(release, losses, hint)
