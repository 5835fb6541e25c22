"""Live events shared by every gateway instance: Redis pub/sub, fanned out in each process.

One pub/sub connection per process; each topic is subscribed in Redis while at least one local
subscriber listens. Events published here reach this process' subscribers at once (even while
Redis is away) and the other instances through Redis. If Redis restarts, the reader reconnects
and subscribes again; events published in between are lost (they only say "something changed":
the widget and consoles read the stored state).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import AsyncIterator
from typing import Any, Optional

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from assistant.infra.broker import MemoryBroker

log = logging.getLogger(__name__)

SUBSCRIBE_WAIT_SECONDS = 2.0  # for Redis to confirm a subscription before events are expected
MAX_RETRY_SECONDS = 5.0


class RedisBroker:
    def __init__(self, client: Redis[bytes], prefix: str, buffer: int = 100, retry_seconds: float = 0.2):
        self.client = client
        self.base = f"{prefix}:events:"
        self.control = f"{prefix}:events"  # always subscribed, so the connection is always read
        self.instance = secrets.token_hex(8)
        self.retry = retry_seconds
        self.connected = asyncio.Event()
        self._local = MemoryBroker(buffer)
        self._listeners: dict[str, int] = {}  # topic -> local subscribers
        self._confirmed: dict[str, asyncio.Event] = {}
        self._pubsub: Optional[PubSub] = None
        self._reader: Optional[asyncio.Task[None]] = None

    async def publish(self, topic: str, event: dict[str, Any]) -> None:
        await self._local.publish(topic, event)
        envelope = json.dumps({"from": self.instance, "event": event}, default=str)
        try:
            await self.client.publish(self.base + topic, envelope)
        except RedisError as exc:
            log.warning("event not shared with other instances: %s", exc, extra={"topic": topic})

    @contextlib.asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        self.start()
        async with self._local.subscribe(topic) as events:
            self._listeners[topic] = self._listeners.get(topic, 0) + 1
            try:
                if self._listeners[topic] == 1:
                    await self._subscribe_remote(topic)
                yield events
            finally:
                self._listeners[topic] -= 1
                if not self._listeners[topic]:
                    del self._listeners[topic]
                    await self._unsubscribe_remote(topic)

    def start(self) -> None:
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._read(), name="redis-broker")

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None

    async def _subscribe_remote(self, topic: str) -> None:
        channel = self.base + topic
        confirmed = self._confirmed.setdefault(channel, asyncio.Event())
        pubsub = self._pubsub
        if pubsub is not None:
            with contextlib.suppress(RedisError, OSError):  # the reader subscribes again on reconnection
                await pubsub.subscribe(channel)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(confirmed.wait(), SUBSCRIBE_WAIT_SECONDS)
        self._confirmed.pop(channel, None)

    async def _unsubscribe_remote(self, topic: str) -> None:
        pubsub = self._pubsub
        if pubsub is not None and topic not in self._listeners:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.unsubscribe(self.base + topic)

    async def _read(self) -> None:
        delay = self.retry
        while True:
            pubsub = self.client.pubsub()
            try:
                wanted = {self.base + t for t in self._listeners}
                await pubsub.subscribe(self.control, *wanted)
                self._pubsub = pubsub  # from now on, new topics are subscribed by `subscribe()`
                missing = {self.base + t for t in self._listeners} - wanted  # added meanwhile
                if missing:
                    await pubsub.subscribe(*missing)
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is not None:
                        await self._dispatch(message)
                        self.connected.set()
                        delay = self.retry
            except (RedisError, OSError) as exc:
                log.warning("broker lost Redis, retrying in %.1f s: %s", delay, exc)
            finally:
                self._pubsub = None
                self.connected.clear()
                with contextlib.suppress(Exception):
                    await pubsub.reset()
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)

    async def _dispatch(self, message: dict[str, Any]) -> None:
        channel = message["channel"].decode() if isinstance(message["channel"], bytes) else message["channel"]
        if message["type"] == "subscribe":
            confirmed = self._confirmed.get(channel)
            if confirmed is not None:
                confirmed.set()
            return
        if message["type"] != "message" or not channel.startswith(self.base):
            return
        try:
            envelope = json.loads(message["data"])
        except ValueError:
            return
        if envelope.get("from") == self.instance:
            return  # already delivered in this process
        await self._local.publish(channel[len(self.base) :], envelope.get("event") or {})
