"""Per-sender rate limits: the limiters themselves, and every inbound channel over the limit."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from fastapi.testclient import TestClient
from limits.aio.storage import MemoryStorage, RedisStorage

from assistant import texts
from assistant.config import Settings
from assistant.gateway.app import create_app
from assistant.infra.ratelimit import Decision, RateLimiter, WindowRateLimiter, limit_storage
from channels.dedup import RedisDeduplicator
from tests.channels.conftest import app_state, channel_settings, random_id, settle
from tests.channels.fakes import FakeBotApi, FakeSmsApi
from tests.channels.test_sms import new_number, send_sms, user_messages
from tests.channels.test_telegram import post, text_update
from tests.channels.test_telegram import transcript as telegram_transcript
from tests.conftest import REDIS_TEST_URL

LIMIT = 2


ALLOWED, FIRST, AGAIN = Decision(True), Decision(False, True), Decision(False, False)


async def checks(limiter: RateLimiter, key: str, count: int) -> list[Decision]:
    return [await limiter.check(key) for _ in range(count)]


async def test_memory_limiter_counts_per_key_in_a_moving_window() -> None:
    limiter = WindowRateLimiter(MemoryStorage(), LIMIT, 1, "test")
    assert await checks(limiter, "a", 4) == [ALLOWED, ALLOWED, FIRST, AGAIN]  # the first refusal told
    assert await checks(limiter, "b", 1) == [ALLOWED]
    assert await limiter.allow("b") and not await limiter.allow("b")
    await asyncio.sleep(1.1)  # the window has moved past the two counted events
    assert await checks(limiter, "a", 4) == [ALLOWED, ALLOWED, FIRST, AGAIN]


def test_redis_limiter_and_deduplicator(redis_prefix: str) -> None:
    async def scenario() -> None:
        client = aioredis.Redis.from_url(REDIS_TEST_URL)
        try:
            prefix = f"{redis_prefix}:{secrets.token_hex(3)}"
            limiter = WindowRateLimiter(limit_storage(REDIS_TEST_URL), LIMIT, 60, prefix)
            assert await checks(limiter, "telegram:1", 4) == [ALLOWED, ALLOWED, FIRST, AGAIN]
            assert await checks(limiter, "telegram:2", 1) == [ALLOWED]
            other = WindowRateLimiter(limit_storage(REDIS_TEST_URL), LIMIT, 60, prefix)  # another instance
            assert await checks(other, "telegram:1", 1) == [AGAIN]  # shares the window
            keys = [k async for k in client.scan_iter(f"{prefix}*")]
            ttls = [await client.ttl(k) for k in keys]
            assert keys and all(0 < ttl <= 61 for ttl in ttls)  # under our prefix, expiring
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
        assert isinstance(limiter, WindowRateLimiter) and limiter.window == 60  # longer than each test
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
        assert isinstance(runtime.limiter, WindowRateLimiter) and isinstance(runtime.dedup, RedisDeduplicator)
        assert isinstance(runtime.limiter.storage, RedisStorage)
        chat_id = random_id()
        update = text_update(chat_id, "bonjour")
        post(client, update)
        post(client, update)
        assert [m.text for m in telegram_transcript(client, chat_id) if m.role == "user"] == ["bonjour"]
