"""Moving-window rate limits from the `limits` library: in memory for one process, in Redis when
several gateway instances share the load (then every instance counts in the same window).

A refused event is not counted (a flood does not extend the block); the first refusal of a
window is told apart, so that the person is told once, not at every message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Optional, Protocol

from coredis.exceptions import RedisError
from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    first_refusal: bool = False  # the first refused event of the key's current window


ALLOWED = Decision(True)


class RateLimiter(Protocol):
    limit: int

    async def check(self, key: str) -> Decision:
        """Count one event for `key` when it is within the limit, and say whether it was."""
        ...

    async def allow(self, key: str) -> bool:
        """`check(key).allowed`."""
        ...

    async def test(self, key: str) -> bool:
        """Whether one more event for `key` would be allowed, without counting it."""
        ...


class WindowRateLimiter:
    """At most `limit` events per key in any `window_seconds`; keys live under `namespace`."""

    def __init__(self, storage: Storage, limit: int, window_seconds: int, namespace: str) -> None:
        self.limit = limit
        self.window = window_seconds
        self._events = RateLimitItemPerSecond(limit, window_seconds, namespace=namespace)
        self._notices = RateLimitItemPerSecond(1, window_seconds, namespace=f"{namespace}-notice")
        self.storage = storage  # the strategy keeps only a weak reference to it
        self._strategy = MovingWindowRateLimiter(storage)

    async def check(self, key: str) -> Decision:
        """Redis down: fail open (allowed), with a log line; counting resumes when it is back."""
        try:
            if await self._strategy.hit(self._events, key):
                return ALLOWED
            return Decision(False, first_refusal=await self._strategy.hit(self._notices, key))
        except (RedisError, OSError) as exc:
            log.warning("rate limit not applied, Redis unavailable: %s", exc)
            return ALLOWED

    async def allow(self, key: str) -> bool:
        return (await self.check(key)).allowed

    async def test(self, key: str) -> bool:
        try:
            return bool(await self._strategy.test(self._events, key))
        except (RedisError, OSError) as exc:
            log.warning("rate limit not applied, Redis unavailable: %s", exc)
            return True


def limit_storage(redis_url: Optional[str]) -> Storage:
    """Redis (shared by every instance) when a URL is given, else this process's memory."""
    if not redis_url:
        return MemoryStorage()
    return RedisStorage(f"async+{redis_url}", stream_timeout=3, connect_timeout=3)


def make_rate_limiter(
    limit: int, storage: Storage, namespace: str, window_seconds: int = 60
) -> WindowRateLimiter:
    return WindowRateLimiter(storage, limit, window_seconds, namespace)
