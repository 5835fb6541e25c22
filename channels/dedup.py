"""Webhook de-duplication shared by every gateway instance: a unique key in SQL, or SET NX in Redis."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from typing import Optional, Protocol

import sqlalchemy as sa
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.exc import IntegrityError

from assistant.storage import Database
from assistant.storage.tables import channel_events

log = logging.getLogger(__name__)

REDIS_TTL_SECONDS = 7 * 24 * 3600  # providers retry for hours, never for days


class Deduplicator(Protocol):
    async def first_seen(self, channel: str, event_id: str) -> bool:
        """True the first time an event id is seen for a channel, False for any repeat."""
        ...


class SqlDeduplicator:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def first_seen(self, channel: str, event_id: str) -> bool:
        try:
            async with self.db.connect() as conn:
                await conn.execute(
                    channel_events.insert().values(
                        channel=channel, event_id=event_id[:128], created_at=datetime.now(timezone.utc)
                    )
                )
        except IntegrityError:
            return False
        return True

    async def seen(self, channel: str, event_id: str) -> bool:
        query = sa.select(channel_events.c.event_id).where(
            channel_events.c.channel == channel, channel_events.c.event_id == event_id[:128]
        )
        async with self.db.connect() as conn:
            return (await conn.execute(query)).first() is not None


class RedisDeduplicator:
    """SET NX in Redis; while Redis is down, the SQL table instead (`fallback`).

    Events first seen during an outage are only in SQL: for REDIS_TTL_SECONDS after an outage
    seen by this process, an event new to Redis is also looked up in SQL.
    """

    def __init__(self, client: Redis[bytes], prefix: str, fallback: Optional[SqlDeduplicator] = None) -> None:
        self.client = client
        self.prefix = prefix
        self.fallback = fallback
        self.last_outage: Optional[float] = None  # time.monotonic() of the last Redis failure

    async def first_seen(self, channel: str, event_id: str) -> bool:
        key = f"{self.prefix}:dedup:{channel}:{event_id}"
        try:
            first = bool(await self.client.set(key, "1", nx=True, ex=REDIS_TTL_SECONDS))
        except (RedisError, OSError) as exc:
            if self.fallback is None:
                raise
            log.warning("de-duplication in SQL, Redis unavailable: %s", exc)
            self.last_outage = time.monotonic()
            return await self.fallback.first_seen(channel, event_id)
        if first and self.fallback is not None and self._after_outage():
            return not await self.fallback.seen(channel, event_id)
        return first

    def _after_outage(self) -> bool:
        return self.last_outage is not None and time.monotonic() - self.last_outage < REDIS_TTL_SECONDS
