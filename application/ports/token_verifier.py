from __future__ import annotations

from typing import Protocol

from domain.actor import Actor


class TokenVerifier(Protocol):
    async def verify(self, token: str | None) -> Actor:
        """Who `token` (the bearer credentials of a request; None when it carried none) is,
        when it grants access to the public API. Otherwise raises
        `domain.errors.NotAuthorized` whose detail says why, in words a client can act on;
        neither the detail nor any log line repeats the token."""
        ...
