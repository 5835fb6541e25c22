"""Per-conversation locks held across gateway instances through Redis."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from assistant.conversations.locks import RedisConversationLocks
from tests.conftest import REDIS_TEST_URL


@pytest.fixture
async def instances(redis_prefix: str) -> AsyncIterator[list[RedisConversationLocks]]:
    """Two gateway instances' locks (own Redis clients), same key prefix."""
    clients: list[Redis[bytes]] = [Redis.from_url(REDIS_TEST_URL) for _ in range(2)]
    yield [RedisConversationLocks(c, redis_prefix, lease_seconds=0.6) for c in clients]
    for client in clients:
        await client.close()


async def test_two_instances_never_hold_one_conversation_together(
    instances: list[RedisConversationLocks],
) -> None:
    conversation = secrets.token_urlsafe(8)
    inside: list[int] = []
    entered: list[int] = []

    async def work(index: int) -> None:
        async with instances[index % 2].hold(conversation):
            inside.append(index)
            entered.append(len(inside))
            await asyncio.sleep(0.02)
            inside.remove(index)

    await asyncio.gather(*(work(i) for i in range(12)))
    assert entered == [1] * 12


async def test_other_conversations_are_not_blocked(instances: list[RedisConversationLocks]) -> None:
    async with instances[0].hold("one"):
        started = time.monotonic()
        async with instances[1].hold("two"):
            assert time.monotonic() - started < 0.3


async def test_the_lease_is_renewed_while_the_holder_works(
    instances: list[RedisConversationLocks],
) -> None:
    """A holder busy for three leases keeps the lock; the other instance gets it right after."""
    released = 0.0

    async def slow() -> None:
        nonlocal released
        async with instances[0].hold("busy"):
            await asyncio.sleep(1.8)
            released = time.monotonic()

    task = asyncio.create_task(slow())
    await asyncio.sleep(0.1)
    async with instances[1].hold("busy"):
        got = time.monotonic()
    await task
    assert released <= got < released + 0.5


async def test_a_crashed_instance_blocks_no_longer_than_its_lease(
    instances: list[RedisConversationLocks], redis_prefix: str
) -> None:
    crashed = instances[0].client.lock(f"{redis_prefix}:conversation-lock:lost", timeout=0.6)
    assert await crashed.acquire()  # never released: the instance died
    started = time.monotonic()
    async with instances[1].hold("lost"):
        waited = time.monotonic() - started
    assert 0.3 < waited < 1.5
