"""The channels' long-lived parts: adapters, rate limiter, de-duplication, and their Redis client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from redis.asyncio import Redis

from assistant.infra.ratelimit import RateLimiter
from channels.dedup import Deduplicator
from channels.registry import ChannelRegistry


@dataclass
class ChannelRuntime:
    """Built by the app factory (assistant/gateway/state.py); started and closed in the lifespan."""

    registry: ChannelRegistry
    limiter: RateLimiter
    dedup: Deduplicator
    redis: Optional[Redis[bytes]]

    async def start(self) -> None:
        for adapter in self.registry.adapters.values():
            start = getattr(adapter, "start", None)
            if start is not None:
                await start()

    async def close(self) -> None:
        """Let webhook work in progress finish, then close the clients."""
        for adapter in self.registry.adapters.values():
            close = getattr(adapter, "close", None)
            if close is not None:
                await close()
        if self.redis is not None:
            await self.redis.close()
