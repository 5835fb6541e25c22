"""Per-sender rate limits: the limiters themselves, and every inbound channel over the limit."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from fastapi.testclient import TestClient

from assistant import texts
from assistant.config import Settings
from assistant.gateway.app import create_app
from assistant.infra.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from channels.dedup import RedisDeduplicator
from tests.channels.conftest import app_state, channel_settings, random_id, settle
from tests.channels.fakes import FakeBotApi, FakeSmsApi
from tests.channels.test_sms import new_number, send_sms, user_messages
from tests.channels.test_telegram import post, text_update
from tests.channels.test_telegram import transcript as telegram_transcript
from tests.conftest import REDIS_TEST_URL

LIMIT = 2


async def hits(limiter: RateLimiter, key: str, count: int) -> list[int]:
    return [await limiter.hit(key) for _ in range(count)]


def test_memory_limiter_counts_per_key_and_window() -> None:
    limiter = MemoryRateLimiter(LIMIT, 60)
    now = [600.0]
    limiter.clock = lambda: now[0]
    assert asyncio.run(hits(limiter, "a", 4)) == [1, 2, 3, 4]
    assert asyncio.run(hits(limiter, "b", 1)) == [1]
    assert asyncio.run(limiter.allow("b")) and not asyncio.run(limiter.allow("b"))
    now[0] += 60
    assert asyncio.run(hits(limiter, "a", 1)) == [1]


def test_redis_limiter_and_deduplicator(redis_prefix: str) -> None:
    async def scenario() -> None:
        client = aioredis.Redis.from_url(REDIS_TEST_URL)
        try:
            prefix = f"{redis_prefix}:{secrets.token_hex(3)}"
            limiter = RedisRateLimiter(client, prefix, LIMIT, 60)
            limiter.clock = lambda: 600.0
            assert await hits(limiter, "telegram:1", 3) == [1, 2, 3]
            assert await hits(limiter, "telegram:2", 1) == [1]
            ttl = await client.ttl(f"{prefix}:rl:telegram:1:10")
            assert 0 < ttl <= 61
            dedup = RedisDeduplicator(client, prefix)
            assert await dedup.first_seen("sms", "SM1") is True
            assert await dedup.first_seen("sms", "SM1") is False
            assert await dedup.first_seen("telegram", "SM1") is True
        finally:
            await client.close()

    asyncio.run(scenario())


@pytest.fixture
def limited(
    rasa_stack: Settings, tmp_path: Path, bot_api: FakeBotApi, sms_api: FakeSmsApi
) -> Iterator[TestClient]:
    settings = channel_settings(rasa_stack, tmp_path, bot_api, sms_api, rate_limit_per_minute=LIMIT)
    with TestClient(create_app(settings)) as client:
        limiter = app_state(client).channel_runtime.limiter
        assert isinstance(limiter, MemoryRateLimiter)
        limiter.clock = lambda: 1_000_000.0  # one window for the whole test
        yield client


def test_telegram_sender_over_the_limit(limited: TestClient, bot_api: FakeBotApi) -> None:
    chat_id = random_id()
    for text in ("bonjour", "merci", "encore", "toujours"):
        post(limited, text_update(chat_id, text))
    sent = bot_api.sent_texts()
    assert sent.count(texts.text("rate_limited")) == 1  # said once per window
    users = [m for m in telegram_transcript(limited, chat_id) if m.role == "user"]
    assert [(m.text, m.status) for m in users] == [
        ("bonjour", "done"), ("merci", "done"), ("encore", "rate_limited"), ("toujours", "rate_limited")
    ]  # fmt: skip


def test_sms_sender_over_the_limit(limited: TestClient, sms_api: FakeSmsApi) -> None:
    number = new_number()
    for body in ("bonjour", "merci", "encore", "toujours"):
        send_sms(limited, number, body)
    bodies = sms_api.bodies(number)
    assert len(bodies) == 4 and bodies[-1] == texts.text("rate_limited")  # notice, 2 answers, refusal
    assert bodies[0] == texts.text("sms_privacy_notice")
    assert [m.status for m in user_messages(limited, number)] == [
        "done",
        "done",
        "rate_limited",
        "rate_limited",
    ]
    send_sms(limited, number, "STOP")  # STOP is honoured even over the limit
    assert "START" in sms_api.bodies(number)[-1]


def test_web_conversation_over_the_limit_is_a_429(limited: TestClient) -> None:
    conversation_id = limited.post("/api/conversations").json()["id"]
    url = f"/api/conversations/{conversation_id}/messages"
    assert [limited.post(url, json={"text": t}).status_code for t in ("bonjour", "merci")] == [200, 200]
    response = limited.post(url, json={"text": "encore"})
    assert response.status_code == 429
    assert response.json()["error"] == {"code": "too_many_requests", "message": texts.text("rate_limited")}
    other = limited.post("/api/conversations").json()["id"]  # per conversation
    assert limited.post(f"/api/conversations/{other}/messages", json={"text": "bonjour"}).status_code == 200
    stored = limited.get(url).json()["messages"]
    assert [m["status"] for m in stored if m["role"] == "user"] == ["done", "done", "rate_limited"]
    unknown = "/api/conversations/doesnotexist0000000000000/messages"  # well formed, never opened
    assert [limited.post(unknown, json={"text": "x"}).status_code for _ in range(4)] == [404] * 4
    settle(limited)


def test_redis_backs_limits_and_deduplication_when_configured(
    rasa_stack: Settings, tmp_path: Path, bot_api: FakeBotApi, sms_api: FakeSmsApi, redis_prefix: str
) -> None:
    settings = channel_settings(
        rasa_stack, tmp_path, bot_api, sms_api, redis_url=REDIS_TEST_URL, redis_key_prefix=redis_prefix
    )
    with TestClient(create_app(settings)) as client:
        runtime = app_state(client).channel_runtime
        assert isinstance(runtime.limiter, RedisRateLimiter) and isinstance(runtime.dedup, RedisDeduplicator)
        chat_id = random_id()
        update = text_update(chat_id, "bonjour")
        post(client, update)
        post(client, update)
        assert [m.text for m in telegram_transcript(client, chat_id) if m.role == "user"] == ["bonjour"]
