"""One open widget connection: replays the transcript in id order, takes the person's frames.

Messages are sent from the transcript, in id order, and each at most once per socket: whatever
announces new messages (this socket's own answer, the broker's `conversation:<id>` events from
the handoff service, `WebChannel.deliver`, another socket of the same conversation) only makes
the socket read the transcript after what it has already sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Mapping
from typing import Any

from fastapi import WebSocket
from starlette.websockets import WebSocketState

from assistant.conversations.limits import over_limit
from assistant.conversations.models import Conversation
from assistant.conversations.service import ConversationService
from assistant.conversations.web_clients import WebClientMessages
from assistant.infra.broker import Broker, conversation_topic
from assistant.infra.ratelimit import RateLimiter
from channels.web_frames import FrameError, Inbound, Resume, message_frame, parse_frame

log = logging.getLogger(__name__)

CLOSE_TOO_BIG = 1009
LOOKBACK = 50  # ids a socket looks back, for rows committed out of id order
REPLAY_LIMIT = 500


def _frame_size(received: Mapping[str, Any]) -> int:
    text, data = received.get("text"), received.get("bytes")
    if isinstance(text, str):
        return len(text.encode("utf-8", "replace"))
    return len(data) if isinstance(data, bytes) else 0


class SocketSession:
    """One open widget connection."""

    def __init__(
        self,
        websocket: WebSocket,
        conversation: Conversation,
        service: ConversationService,
        broker: Broker,
        limiter: RateLimiter,
        clients: WebClientMessages,
        max_frame_bytes: int,
    ) -> None:
        self.websocket = websocket
        self.conversation = conversation
        self.service = service
        self.broker = broker
        self.limiter = limiter
        self.clients = clients
        self.max_frame_bytes = max_frame_bytes
        self.topic = conversation_topic(conversation.id)
        self.send_lock = asyncio.Lock()
        self.floor = 0  # the client has every message up to this id
        self.high = 0  # the highest id sent on this socket
        self.sent: set[int] = set()
        self.closed = False

    async def send(self, frame: dict[str, Any]) -> None:
        if self.closed or self.websocket.client_state != WebSocketState.CONNECTED:
            self.closed = True
            return
        try:
            await self.websocket.send_text(json.dumps(frame, ensure_ascii=False))
        except Exception:  # the peer went away: the messages stay in the transcript
            self.closed = True

    async def error(self, text: str) -> None:
        async with self.send_lock:
            await self.send({"type": "error", "message": text})

    async def sync(self) -> None:
        """Send, in id order, the stored messages this socket has not sent yet."""
        async with self.send_lock:
            start = max(self.floor, self.high - LOOKBACK)
            for stored in await self.service.repository.after(self.conversation.id, start, REPLAY_LIMIT):
                if stored.id in self.sent:
                    continue
                self.sent.add(stored.id)
                self.high = max(self.high, stored.id)
                await self.send(message_frame(stored))
            self.sent = {i for i in self.sent if i > self.high - LOOKBACK}

    async def run(self) -> None:
        self.floor = self.high = await self.service.repository.latest_id(self.conversation.id)
        async with self.broker.subscribe(self.topic) as events:
            listener = asyncio.create_task(self._listen(events))
            try:
                await self._read()
            finally:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await listener

    async def _listen(self, events: AsyncIterator[dict[str, Any]]) -> None:
        async for _event in events:  # any event of the conversation may mean new messages
            if self.closed:
                return
            await self.sync()

    async def _read(self) -> None:
        while not self.closed:
            received = await self.websocket.receive()
            if received["type"] == "websocket.disconnect":
                self.closed = True
                return
            raw = received.get("text")
            if _frame_size(received) > self.max_frame_bytes:
                log.warning("oversized widget frame", extra={"conversation_id": self.conversation.id})
                self.closed = True
                with contextlib.suppress(Exception):
                    await self.websocket.close(code=CLOSE_TOO_BIG, reason="Message trop volumineux")
                return
            try:
                frame = parse_frame(raw if raw is not None else received.get("bytes"))
            except FrameError as exc:
                await self.error(str(exc))
                continue
            if isinstance(frame, Resume):
                async with self.send_lock:
                    self.floor = self.high = frame.after
                    self.sent = set()
                await self.sync()
            else:
                await self._inbound(frame)

    async def _inbound(self, frame: Inbound) -> None:
        conversation = self.conversation
        if not await self.clients.claim(conversation.id, frame.client_id):
            await self.sync()  # already received: the client gets its echo and the answers
            return
        custom = {"client_id": frame.client_id}
        service = self.service
        current = await service.repository.get(conversation.id) or conversation
        try:
            refusal = await over_limit(
                self.limiter,
                service,
                current,
                f"web:{conversation.id}",
                frame.text,
                frame.payload,
                custom,
            )
            if refusal is None:
                thinking = current.mode != "handoff"
                if thinking:
                    async with self.send_lock:
                        await self.send({"type": "typing", "active": True})
                try:
                    await service.handle_inbound(current, frame.text, frame.payload, custom)
                    await self.sync()  # the echo of the message, then the answers
                finally:
                    if thinking:
                        async with self.send_lock:
                            await self.send({"type": "typing", "active": False})
        except Exception:
            log.exception("widget message failed", extra={"conversation_id": conversation.id})
            if not await self.clients.is_stored(conversation.id, frame.client_id):
                await self.clients.release(conversation.id, frame.client_id)
            await self.error("Votre message n'a pas pu être traité. Réessayez dans un instant.")
            return
        await self.sync()
        await self.broker.publish(self.topic, {"event": "stored"})  # the conversation's other sockets
