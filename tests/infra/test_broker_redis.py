"""The Redis broker between two gateway processes' worth of brokers, and across a Redis restart."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from redis.asyncio import Redis

from assistant.infra.broker import QUEUE_TOPIC, conversation_topic
from assistant.infra.broker_redis import RedisBroker
from tests.conftest import REDIS_TEST_URL
from tests.helpers import free_port


async def next_event(events: AsyncIterator[dict[str, Any]], timeout: float = 3) -> dict[str, Any]:
    return await asyncio.wait_for(events.__anext__(), timeout)


@pytest.fixture
async def clients() -> AsyncIterator[tuple[Redis[bytes], Redis[bytes]]]:
    first: Redis[bytes] = Redis.from_url(REDIS_TEST_URL)
    second: Redis[bytes] = Redis.from_url(REDIS_TEST_URL)
    yield first, second
    await first.close()
    await second.close()


async def test_events_reach_the_other_instance_once(
    clients: tuple[Redis[bytes], Redis[bytes]], redis_prefix: str
) -> None:
    a, b = RedisBroker(clients[0], redis_prefix), RedisBroker(clients[1], redis_prefix)
    topic = conversation_topic("abc")
    try:
        async with b.subscribe(topic) as on_b, a.subscribe(topic) as on_a, b.subscribe(QUEUE_TOPIC) as queue:
            await a.publish(topic, {"event": "stored", "n": 1})
            assert await next_event(on_b) == {"event": "stored", "n": 1}
            assert await next_event(on_a) == {"event": "stored", "n": 1}
            await b.publish(topic, {"event": "stored", "n": 2})
            assert await next_event(on_b) == {"event": "stored", "n": 2}
            assert await next_event(on_a) == {"event": "stored", "n": 2}
            with pytest.raises(asyncio.TimeoutError):  # no echo of b's own event, no other topic
                await next_event(on_b, 0.3)
            with pytest.raises(asyncio.TimeoutError):
                await next_event(queue, 0.1)
        channels = await clients[0].pubsub_channels(f"{redis_prefix}:events:*")
        assert channels == []  # unsubscribed once the last local subscriber left
    finally:
        await a.close()
        await b.close()


async def test_topics_subscribed_while_the_broker_connects_are_heard(
    clients: tuple[Redis[bytes], Redis[bytes]], redis_prefix: str
) -> None:
    listener, sender = RedisBroker(clients[0], redis_prefix), RedisBroker(clients[1], redis_prefix)
    topics = [conversation_topic(str(i)) for i in range(5)]
    try:
        async with contextlib.AsyncExitStack() as stack:
            entered = (stack.enter_async_context(listener.subscribe(t)) for t in topics)
            streams = await asyncio.gather(*entered)
            for topic in topics:
                await sender.publish(topic, {"topic": topic})
            assert [await next_event(s) for s in streams] == [{"topic": t} for t in topics]
    finally:
        await listener.close()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A Redis server of our own, which the test may stop and start again."""
    port = free_port()
    yield port, tmp_path
    with redis.Redis(port=port) as client, contextlib.suppress(redis.RedisError):
        client.shutdown(nosave=True)  # if the test left it running


def start_redis(port: int, directory: Path) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [shutil.which("redis-server") or "redis-server", "--port", str(port),
         "--save", "", "--appendonly", "no", "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while True:
        try:
            with redis.Redis(port=port) as client:
                client.ping()
            return server
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "private Redis did not start"
            time.sleep(0.05)


async def test_the_broker_reconnects_after_a_redis_restart(private_redis: tuple[int, Path]) -> None:
    port, directory = private_redis
    server = start_redis(port, directory)
    listener_client: Redis[bytes] = Redis(port=port)
    sender_client: Redis[bytes] = Redis(port=port)
    listener = RedisBroker(listener_client, "t", retry_seconds=0.1)
    sender = RedisBroker(sender_client, "t")
    try:
        async with listener.subscribe("handoffs") as events:
            await sender.publish("handoffs", {"n": 1})
            assert await next_event(events) == {"n": 1}
            server.terminate()
            server.wait(10)
            await sender.publish("handoffs", {"n": "lost"})  # logged, not raised
            await asyncio.sleep(0.3)
            assert not listener.connected.is_set()
            server = start_redis(port, directory)
            await asyncio.wait_for(listener.connected.wait(), 10)
            await sender.publish("handoffs", {"n": 2})
            assert await next_event(events) == {"n": 2}
    finally:
        await listener.close()
        await listener_client.close()
        await sender_client.close()
        server.terminate()
        server.wait(10)
