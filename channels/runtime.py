"""The channels' long-lived parts: adapters, rate limiter, de-duplication, and their Redis client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import httpx
from redis.asyncio import Redis

from assistant.config import Settings
from assistant.infra.ratelimit import RateLimiter, make_rate_limiter
from assistant.storage import Database
from channels.dedup import Deduplicator, RedisDeduplicator, SqlDeduplicator
from channels.registry import ChannelRegistry, registry_from_settings

REDIS_TIMEOUT = 3.0  # seconds: a Redis that hangs counts as down (rate limits fail open, dedup in SQL)


@dataclass
class ChannelRuntime:
    registry: ChannelRegistry
    limiter: RateLimiter
    dedup: Deduplicator
    redis: Optional[Redis[bytes]]

    @classmethod
    async def create(cls, settings: Settings, http: httpx.AsyncClient, database: Database) -> ChannelRuntime:
        """Built in the gateway's lifespan; Redis (when REDIS_URL is set) is shared by every instance."""
        redis = None
        if settings.redis_url:
            redis = Redis.from_url(
                settings.redis_url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
            )
        prefix = settings.redis_key_prefix
        limiter = make_rate_limiter(settings.rate_limit_per_minute, redis, prefix)
        sql_dedup = SqlDeduplicator(database)  # also the fallback while Redis is down
        dedup: Deduplicator = RedisDeduplicator(redis, prefix, sql_dedup) if redis else sql_dedup
        registry = registry_from_settings(settings, http, database, limiter, dedup)
        for adapter in registry.adapters.values():
            start = getattr(adapter, "start", None)
            if start is not None:
                await start()
        return cls(registry, limiter, dedup, redis)

    async def close(self) -> None:
        """Let webhook work in progress finish, then close the clients."""
        for adapter in self.registry.adapters.values():
            close = getattr(adapter, "close", None)
            if close is not None:
                await close()
        if self.redis is not None:
            await self.redis.close()
