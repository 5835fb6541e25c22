"""Live events between the gateway and open consoles: in process by default.

Topics: `handoffs` (the queue changed) and `conversation:<id>` (a message was stored).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any, Protocol

QUEUE_TOPIC = "handoffs"


def conversation_topic(conversation_id: str) -> str:
    return f"conversation:{conversation_id}"


class Broker(Protocol):
    async def publish(self, topic: str, event: dict[str, Any]) -> None: ...

    def subscribe(
        self, topic: str
    ) -> contextlib.AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]: ...


class MemoryBroker:
    """Fan-out to the subscribers of this process; slow subscribers lose old events, not new ones."""

    def __init__(self, buffer: int = 100) -> None:
        self.buffer = buffer
        self._subscribers: dict[str, set[asyncio.Queue[dict[str, Any]]]] = {}

    async def publish(self, topic: str, event: dict[str, Any]) -> None:
        for queue in list(self._subscribers.get(topic, ())):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(event)

    @contextlib.asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(self.buffer)
        self._subscribers.setdefault(topic, set()).add(queue)

        async def events() -> AsyncIterator[dict[str, Any]]:
            while True:
                yield await queue.get()

        try:
            yield events()
        finally:
            self._subscribers[topic].discard(queue)
            if not self._subscribers[topic]:
                del self._subscribers[topic]
