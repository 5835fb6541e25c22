"""Webhook de-duplication shared by every gateway instance: a unique key in SQL, or SET NX in Redis."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Protocol

from redis.asyncio import Redis
from sqlalchemy.exc import IntegrityError

from assistant.storage import Database
from assistant.storage.tables import channel_events

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


class RedisDeduplicator:
    def __init__(self, client: Redis[bytes], prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    async def first_seen(self, channel: str, event_id: str) -> bool:
        key = f"{self.prefix}:dedup:{channel}:{event_id}"
        return bool(await self.client.set(key, "1", nx=True, ex=REDIS_TTL_SECONDS))
