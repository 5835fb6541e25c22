"""The gateway owns the conversation: store first, then ask Rasa, then store the answer."""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any, Optional

from assistant import texts
from assistant.conversations.models import Conversation, OutboundMessage, StoredMessage
from assistant.conversations.rasa_client import RasaClient, RasaUnavailable
from assistant.conversations.repository import ConversationRepository
from assistant.plans.repository import PlanExportRepository
from channels.registry import ChannelRegistry

log = logging.getLogger(__name__)

START_MESSAGE = "/start_conversation"


class ConversationLocks:
    """One asyncio lock per conversation, so a conversation's messages go through in order."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    @asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[None]:
        lock = self._locks.get(conversation_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conversation_id] = lock
        async with lock:
            yield


class ConversationService:
    def __init__(
        self,
        repository: ConversationRepository,
        rasa: RasaClient,
        exports: PlanExportRepository,
        public_url: str,
        channels: ChannelRegistry,
    ) -> None:
        self.repository = repository
        self.rasa = rasa
        self.exports = exports
        self.public_url = public_url
        self.channels = channels
        self.locks = ConversationLocks()

    async def _prepare(
        self, conversation: Conversation, replies: list[OutboundMessage]
    ) -> list[OutboundMessage]:
        """Attach export links to plans, then render everything for the conversation's channel."""
        conversation_id = conversation.id
        prepared = []
        for reply in replies:
            if reply.custom is not None and reply.custom.get("type") == "plan":
                token = await self.exports.save(conversation_id, reply.custom)
                reply = replace(
                    reply, custom={**reply.custom, "export_url": f"{self.public_url}/plans/{token}"}
                )
            prepared.append(reply)
        return self.channels.get(conversation.channel).renderer.render(prepared)

    async def start(
        self, channel: str, sender_ref: Optional[str] = None
    ) -> tuple[Conversation, list[StoredMessage]]:
        conversation = await self.repository.create(channel, sender_ref)
        try:
            replies = await self.rasa.send(conversation.id, START_MESSAGE, {"channel": channel})
        except RasaUnavailable as exc:
            log.warning("welcome skipped: %s", exc, extra={"conversation_id": conversation.id})
            replies = []
        stored = await self.repository.add_outbound(
            conversation.id, "bot", await self._prepare(conversation, replies)
        )
        return conversation, stored

    async def context(self, conversation: Conversation) -> dict[str, Any]:
        """The dialogue state an agent needs: situations, answers, event date, plan, open questions."""
        slots = (await self.rasa.tracker(conversation.id)).get("slots") or {}
        raw_summary = slots.get("summary")
        summary: dict[str, Any] = raw_summary if isinstance(raw_summary, dict) else {}
        situations = summary.get("situations") or [
            {"id": s, "title": None} for s in slots.get("situations") or []
        ]
        return {
            "conversation_id": conversation.id,
            "channel": conversation.channel,
            "situation": situations[0] if situations else None,
            "situations": situations,
            "answers": summary.get("answers") or [],
            "event_date": slots.get("event_date"),
            "plan": slots.get("plan") or [],
            "open_questions": summary.get("open_questions") or [],
        }

    async def handle_inbound(
        self, conversation: Conversation, text: Optional[str], payload: Optional[str]
    ) -> list[StoredMessage]:
        """Store the person's message, then answer it (and any earlier one still waiting)."""
        async with self.locks.hold(conversation.id):
            await self.repository.add_inbound(conversation.id, text, payload)
            return await self._drain(conversation)

    async def _drain(self, conversation: Conversation) -> list[StoredMessage]:
        produced: list[StoredMessage] = []
        for inbound in await self.repository.pending_inbound(conversation.id):
            message = inbound.payload or inbound.text or ""
            started = time.perf_counter()
            try:
                replies = await self.rasa.send(conversation.id, message, {"channel": conversation.channel})
            except RasaUnavailable as exc:
                log.warning("rasa unavailable: %s", exc, extra={"conversation_id": conversation.id})
                produced += await self.repository.add_outbound(
                    conversation.id, "system", [OutboundMessage(text=texts.text("delayed_answer"))]
                )
                break
            log.info(
                "message answered",
                extra={
                    "conversation_id": conversation.id,
                    "latency_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            produced += await self.repository.add_outbound(
                conversation.id, "bot", await self._prepare(conversation, replies), completes=inbound.id
            )
        return produced
