"""How many logins are tried: per client address, per client address and username, and in all.

The per-username limit alone let a flood of random usernames through (each new username had a
fresh budget). The client's own limit is counted first, so that one address that floods never
spends the global budget; the global limit bounds the work of many addresses together."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.infra.ratelimit import RateLimiter


@dataclass(frozen=True)
class LoginThrottle:
    per_client: RateLimiter
    per_username: RateLimiter
    overall: RateLimiter

    async def blocked(self, client: str) -> bool:
        """True while the client address, or everyone, is over the limit (nothing counted): the
        gateway then answers before parsing the request (docs/security.md)."""
        if not await self.per_client.test(f"login-client:{client}"):
            return True
        return not await self.overall.test("login-all")

    async def allow(self, client: str, username: str) -> bool:
        """Count one attempt; False when any of the three limits is reached."""
        if not await self.per_client.allow(f"login-client:{client}"):
            return False
        if not await self.per_username.allow(f"login:{client}:{username.lower()}"):
            return False
        return await self.overall.allow("login-all")
