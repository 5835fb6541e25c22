"""Fixed-window rate limits: in memory for one process, in Redis when several share the load."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class RateLimiter(Protocol):
    limit: int

    async def hit(self, key: str) -> int:
        """Count one event for `key`; the number of events in the current window, this one included."""
        ...

    async def allow(self, key: str) -> bool:
        """Count one event for `key`; False once the window's limit is exceeded."""
        ...


class MemoryRateLimiter:
    def __init__(self, limit: int, window_seconds: int) -> None:
        self.limit = limit
        self.window = window_seconds
        self.clock: Callable[[], float] = time.time  # tests pin it to stay in one window
        self._counts: dict[tuple[str, int], int] = {}

    async def allow(self, key: str) -> bool:
        return await self.hit(key) <= self.limit

    async def hit(self, key: str) -> int:
        bucket = int(self.clock() // self.window)
        if len(self._counts) > 10_000:  # forget past windows
            self._counts = {k: v for k, v in self._counts.items() if k[1] == bucket}
        count = self._counts.get((key, bucket), 0) + 1
        self._counts[(key, bucket)] = count
        return count


class RedisRateLimiter:
    def __init__(self, client: Redis[bytes], prefix: str, limit: int, window_seconds: int) -> None:
        self.client = client
        self.prefix = prefix
        self.limit = limit
        self.window = window_seconds
        self.clock: Callable[[], float] = time.time  # tests pin it to stay in one window

    async def allow(self, key: str) -> bool:
        return await self.hit(key) <= self.limit

    async def hit(self, key: str) -> int:
        """Redis down: fail open (0, under any limit), with a log line; counting resumes when it is back."""
        bucket = int(self.clock() // self.window)
        name = f"{self.prefix}:rl:{key}:{bucket}"
        try:
            pipe = self.client.pipeline()
            pipe.incr(name)
            pipe.expire(name, self.window + 1)
            count, _ = await pipe.execute()
        except (RedisError, OSError) as exc:
            log.warning("rate limit not applied, Redis unavailable: %s", exc)
            return 0
        return int(count)


def make_rate_limiter(
    limit: int, redis: Redis[bytes] | None, prefix: str, window_seconds: int = 60
) -> RateLimiter:
    """Redis-backed when a client is given (shared by every gateway instance), in memory otherwise."""
    if redis is None:
        return MemoryRateLimiter(limit, window_seconds)
    return RedisRateLimiter(redis, prefix, limit, window_seconds)
