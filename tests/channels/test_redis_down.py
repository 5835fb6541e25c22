"""Redis down then back: rate limits fail open, webhook de-duplication falls back to SQL."""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis

from assistant.infra.ratelimit import WindowRateLimiter, limit_storage
from assistant.storage import Database
from channels.dedup import RedisDeduplicator, SqlDeduplicator
from tests.e2e.faults_support import PrivateRedis
from tests.helpers import free_port


async def test_rate_limits_fail_open_while_redis_is_down(tmp_path: Path) -> None:
    redis = PrivateRedis(tmp_path / "redis", free_port())
    client: Redis[bytes] = Redis.from_url(redis.url, socket_timeout=2, socket_connect_timeout=2)
    limiter = WindowRateLimiter(limit_storage(redis.url), 2, 60, "rl")
    try:
        assert [await limiter.allow("web:x") for _ in range(3)] == [True, True, True]  # down: open
        redis.start()
        assert [await limiter.allow("web:x") for _ in range(3)] == [True, True, False]  # counted again
    finally:
        await client.close()
        redis.stop()


async def test_deduplication_falls_back_to_sql(tmp_path: Path) -> None:
    redis = PrivateRedis(tmp_path / "redis", free_port())
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'dedup.db'}")
    await db.start()
    client: Redis[bytes] = Redis.from_url(redis.url, socket_timeout=2, socket_connect_timeout=2)
    dedup = RedisDeduplicator(client, "dd", SqlDeduplicator(db))
    try:
        redis.start()
        assert await dedup.first_seen("telegram", "1")
        redis.stop()
        assert await dedup.first_seen("telegram", "2")  # down: recorded in SQL
        assert not await dedup.first_seen("telegram", "2")
        redis.start()  # back: an event first seen during the outage is still a repeat
        assert not await dedup.first_seen("telegram", "2")
        assert not await dedup.first_seen("telegram", "1")  # kept by Redis's append-only file
        assert await dedup.first_seen("telegram", "3")
        assert not await dedup.first_seen("telegram", "3")
    finally:
        await client.close()
        await db.stop()
        redis.stop()
