"""Server-sent event streams for the consoles: keep-alive comments, event ids, resumption.

A stream stays open as long as the console keeps it: a comment every `SSE_KEEPALIVE_SECONDS`
keeps proxies from timing it out, and nothing on our side ends it. Waiting for the next event
never cancels the broker's iterator (cancelling an async generator's `__anext__` closes the
generator: the stream then failed at the first keep-alive, 15 s after it opened).

Each event carries an `id:` line. A conversation stream's ids are message ids: a console that
comes back with `Last-Event-ID` (or `?last_event_id=`, for a new EventSource) first gets every
stored message after that id, then the live ones, each once. The queue's ids only order its
events; a console re-reads the queue each time its stream opens.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Optional

from fastapi import Request
from fastapi.responses import StreamingResponse

from assistant.infra.broker import Broker

RETRY_MS = 2000  # how long the browser waits before it reconnects by itself
REPLAY_LIMIT = 500  # stored messages sent at most on resumption

Replay = Callable[[int], Awaitable[list[dict[str, Any]]]]  # events after an id, oldest first
Enrich = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]

_sequence = itertools.count(1)


def last_event_id(request: Request) -> Optional[int]:
    """The id the console last received, from the header or the query string; None when absent."""
    raw = request.headers.get("last-event-id") or request.query_params.get("last_event_id") or ""
    raw = raw.strip()
    if not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)


def frame(event: dict[str, Any], event_id: Optional[int | str]) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}data: {json.dumps(event, ensure_ascii=False, default=str)}\n\n"


def message_id(event: dict[str, Any]) -> Optional[int]:
    message = event.get("message")
    if event.get("event") == "message" and isinstance(message, dict) and isinstance(message.get("id"), int):
        return int(message["id"])
    return None


def queue_event_id() -> str:
    """Increasing within a process: the time in microseconds, then a counter."""
    return f"{time.time_ns() // 1000}{next(_sequence) % 1000:03d}"


async def _events(
    request: Request,
    broker: Broker,
    topic: str,
    keepalive: float,
    replay: Optional[Replay],
    enrich: Optional[Enrich],
) -> AsyncIterator[str]:
    async with broker.subscribe(topic) as subscription:
        iterator = subscription.__aiter__()
        yield f"retry: {RETRY_MS}\n\n"
        sent = last_event_id(request)
        if replay is not None and sent is not None:
            for event in await replay(sent):
                sent = max(sent, message_id(event) or sent)
                yield frame(event, message_id(event))
        pending: Optional[asyncio.Task[dict[str, Any]]] = None
        try:
            while not await request.is_disconnected():
                if pending is None:
                    pending = asyncio.ensure_future(iterator.__anext__())
                done, _ = await asyncio.wait({pending}, timeout=keepalive)
                if not done:
                    yield ": keep-alive\n\n"
                    continue
                event = pending.result()
                pending = None
                if replay is not None:
                    number = message_id(event)
                    if number is not None and sent is not None and number <= sent:
                        continue  # already replayed
                    if number is not None:
                        sent = number
                    yield frame(event, number)
                else:
                    yield frame(await enrich(event) if enrich else event, queue_event_id())
        finally:
            if pending is not None:
                pending.cancel()
                with contextlib.suppress(BaseException):
                    await pending


def event_stream(
    request: Request,
    broker: Broker,
    topic: str,
    keepalive: float,
    replay: Optional[Replay] = None,
    enrich: Optional[Enrich] = None,
) -> StreamingResponse:
    """A text/event-stream response of `topic`'s events (`replay`: what a resuming console missed)."""
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    body = _events(request, broker, topic, keepalive, replay, enrich)
    return StreamingResponse(body, media_type="text/event-stream", headers=headers)
