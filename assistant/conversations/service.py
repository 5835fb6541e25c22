"""The gateway owns the conversation: store first, then ask Rasa, then store the answer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any, Optional

from assistant import texts
from assistant.conversations.context import read_context
from assistant.conversations.dead_letter import DeadLetters
from assistant.conversations.locks import ConversationLocks
from assistant.conversations.models import Conversation, OutboundMessage, StoredMessage
from assistant.conversations.observers import TurnObserver
from assistant.conversations.payloads import PayloadGuard
from assistant.conversations.ports import ChannelLookup
from assistant.conversations.rasa_client import RasaClient, RasaUnavailable, TurnLost
from assistant.conversations.records import record
from assistant.conversations.repository import ConversationRepository
from assistant.feedback.repository import FeedbackRepository
from assistant.handoff.service import HandoffService, contact_buttons
from assistant.infra.metrics import Metrics
from assistant.plans.repository import PlanExportRepository

log = logging.getLogger(__name__)

START_MESSAGE = "/start_conversation"
RESUME_MESSAGE = "/handoff_ended"


class ConversationService:
    def _count(self, channel: str, role: str, number: int = 1) -> None:
        if self.metrics is not None and number:
            self.metrics.messages.labels(channel, role).inc(number)

    def __init__(
        self,
        repository: ConversationRepository,
        rasa: RasaClient,
        exports: PlanExportRepository,
        public_url: str,
        channels: ChannelLookup,
        handoffs: HandoffService,
        feedback: FeedbackRepository,
        locks: Optional[ConversationLocks] = None,
        actions_healthy: Optional[Callable[[], Awaitable[bool]]] = None,
        stores_healthy: Optional[Callable[[], Awaitable[bool]]] = None,
        claim_lease: timedelta = timedelta(seconds=90),
        metrics: Optional[Metrics] = None,
        payloads: Optional[PayloadGuard] = None,
        dead_letters: Optional[DeadLetters] = None,
        observer: Optional[TurnObserver] = None,
    ) -> None:
        self.repository = repository
        self.rasa = rasa
        self.exports = exports
        self.public_url = public_url
        self.channels = channels
        self.handoffs = handoffs
        self.feedback = feedback
        self.locks = locks or ConversationLocks()  # the gateway passes Redis locks with REDIS_URL
        self.actions_healthy = actions_healthy
        self.stores_healthy = stores_healthy  # Rasa's tracker and lock stores (Redis), when shared
        self.claim_lease = claim_lease  # a claim older than this was lost with its gateway instance
        self.metrics = metrics  # None in tools and tests
        self._unreverted: set[int] = set()  # messages Rasa may hold a half turn of: undo it first
        self.payloads = payloads  # commands ("/...") only from offered buttons (docs/security.md)
        self.dead_letters = dead_letters  # messages that keep breaking their turn are set aside
        self.observer = observer  # satisfaction, situations, review queue (assistant/satisfaction/turns.py)

    async def _prepare(
        self,
        conversation: Conversation,
        replies: list[OutboundMessage],
        inbound: Optional[StoredMessage] = None,
    ) -> list[OutboundMessage]:
        """Attach export links to plans, open handoffs, then render for the conversation's channel."""
        if self.observer is not None:  # signals removed, satisfaction questions added
            replies = await self.observer.after_turn(conversation, inbound, replies)
        prepared = []
        for reply in replies:
            kind = (reply.custom or {}).get("type")
            if reply.custom is not None and kind in ("plan", "feedback"):
                reply = await record(reply, conversation, self.exports, self.feedback, self.public_url)
            elif reply.custom is not None and kind == "handoff":
                opened = await self._open_handoff(conversation, reply.custom)
                reply = replace(reply, custom={**reply.custom, **opened})
            prepared.append(reply)
        return self.channels.get(conversation.channel).renderer.render(prepared)

    async def start(
        self, channel: str, sender_ref: Optional[str] = None
    ) -> tuple[Conversation, list[StoredMessage]]:
        conversation = await self.repository.create(channel, sender_ref)
        try:
            replies = await self.rasa.send(conversation.id, START_MESSAGE, {"channel": channel})
        except RasaUnavailable as exc:  # the person is still greeted and told what is kept
            log.warning("welcome from the gateway: %s", exc, extra={"conversation_id": conversation.id})
            replies = [
                OutboundMessage(text=texts.text("welcome_offline")),
                OutboundMessage(text=texts.text("privacy_notice")),
            ]
        stored = await self.repository.add_outbound(
            conversation.id, "bot", await self._prepare(conversation, replies)
        )
        return conversation, stored

    async def _open_handoff(self, conversation: Conversation, request: dict[str, Any]) -> dict[str, Any]:
        try:
            context = await self.context(conversation)
        except RasaUnavailable:
            context = {}
        given = request.get("context")  # what the gateway knows that the dialogue may not (a reminder)
        if isinstance(given, dict):
            context = {**context, **{k: v for k, v in given.items() if not context.get(k)}}
        priority = request.get("priority")
        opened = await self.handoffs.open(
            conversation,
            str(request.get("reason") or ""),
            priority if isinstance(priority, int) else 1,
            context,
        )
        if self.observer is not None:
            await self.observer.handoff_opened(conversation, str(request.get("reason") or ""), context)
        return {
            "handoff_id": opened.handoff.id,
            "position": opened.position,
            "open_now": opened.open_now,
            "opens_at": opened.opens_at.isoformat() if opened.opens_at else None,
            "buttons": [] if opened.open_now else contact_buttons(),
        }

    async def resume_bot(
        self, conversation: Conversation, notices: Sequence[StoredMessage] = (), quiet: bool = False
    ) -> list[StoredMessage]:
        """After a handoff, Rasa learns it ended (the next message goes on in the dialogue); the
        agent's `notices` (stored) go out with the bot's words, none when `quiet` (closed)."""
        async with self.locks.hold(conversation.id):
            try:
                replies = await self.rasa.send(
                    conversation.id, RESUME_MESSAGE, {"channel": conversation.channel}
                )
            except RasaUnavailable:
                replies = [OutboundMessage(text=texts.text("bot_resumes"))]
            signal = OutboundMessage(custom={"type": "signal", "signal": "handoff_closed"})
            replies = [] if quiet else [*replies, signal]
            stored = await self.repository.add_outbound(
                conversation.id, "bot", await self._prepare(conversation, replies)
            )
        await self.channels.get(conversation.channel).deliver(conversation, [*notices, *stored])
        return stored

    async def context(self, conversation: Conversation) -> dict[str, Any]:
        """The dialogue state an agent needs (see `assistant.conversations.context`)."""
        return await read_context(self.rasa, conversation)

    async def handle_inbound(
        self,
        conversation: Conversation | str,
        text: Optional[str],
        payload: Optional[str],
        custom: Optional[dict[str, Any]] = None,
    ) -> list[StoredMessage]:
        """Store the person's message, then answer it (and any earlier one still waiting).

        `conversation`, or only its id (the web API): it is read again, with its mode as it is
        now, in the transaction that stores the message; ConversationNotFound when it is gone."""
        conversation_id = conversation if isinstance(conversation, str) else conversation.id
        if self.payloads is not None and not await self.payloads.allowed(conversation_id, text, payload):
            async with self.locks.hold(conversation_id):  # stored, never sent to Rasa
                return await self.payloads.refuse(self.repository, conversation_id, text, payload, custom)
        async with self.locks.hold(conversation_id):
            # One transaction: the conversation as it is now, the message stored, what is still
            # pending and the claim of the first of those.
            current, stored, pending, claimed = await self.repository.store_inbound(
                conversation_id, text, payload, custom, claim=True
            )
            if stored.status == "agent":  # a human has the conversation: the bot stays silent
                answers = await self.handoffs.person_wrote(current, stored)
                return await self.repository.add_outbound(
                    current.id, "system", self.channels.get(current.channel).renderer.render(answers)
                )
            self._count(current.channel, "user")
            produced, _ = await self._drain(current, notify=True, pending=pending, claimed=claimed)
            return produced

    async def retry(self, conversation: Conversation) -> bool:
        """Answer the conversation's waiting messages, in order, on its own channel.

        Called by the background retry (assistant/conversations/retry.py); False while Rasa
        still does not answer. The late answers go out through the channel's `deliver()`.
        A conversation whose lock is held (a message being answered) is left to that message.
        """
        if self.locks.busy(conversation.id):
            return True
        async with self.locks.hold(conversation.id):
            current = await self.repository.get(conversation.id)
            if current is None or current.mode != "bot":
                return True
            produced, failed = await self._drain(current, notify=False)
        if produced:
            await self.channels.get(current.channel).deliver(current, produced)
        return not failed

    async def _ask(self, conversation: Conversation, inbound: StoredMessage) -> list[OutboundMessage]:
        """One turn in Rasa; a lost turn is undone in Rasa's tracker so that it can be sent again."""
        if inbound.id in self._unreverted:
            await self._undo(conversation, inbound)
            self._unreverted.discard(inbound.id)
        message = inbound.payload or inbound.text or ""
        metadata = {"channel": conversation.channel, "message_id": inbound.id}
        # The action server's health is asked while Rasa works, so that it costs no wall time.
        healthy = asyncio.ensure_future(self.actions_healthy()) if self.actions_healthy else None
        try:
            replies = await self.rasa.send(conversation.id, message, metadata)
        except BaseException:
            if healthy is not None:
                healthy.cancel()
            raise
        actions_up = healthy is None or await healthy
        if replies and actions_up:
            return replies
        # Every turn of ours says something; an empty answer, or an action server that does not
        # answer its health check, means an action failed and Rasa dropped its events.
        try:
            await self._undo(conversation, inbound)
        except RasaUnavailable:
            self._unreverted.add(inbound.id)
        # With its lock store down (Redis), Rasa's REST channel answers every message with nothing,
        # and its tracker store falls back to memory (the undo above then "works"): ask the stores.
        stores_up = not actions_up or self.stores_healthy is None or await self.stores_healthy()
        if not actions_up:
            cause = "action server failing"
        elif not stores_up:
            cause = "Rasa's stores down"
        else:
            cause = "action server and stores healthy"
        raise TurnLost(f"turn lost ({len(replies)} replies, {cause})", poison=actions_up and stores_up)

    async def _undo(self, conversation: Conversation, inbound: StoredMessage) -> None:
        """Rewind Rasa's tracker to before this message, if it is still the last one applied there.

        Rasa may have reverted it itself (its fallback action emits the same `rewind` event): a
        second rewind would then undo the person's previous message.
        """
        last = await self.rasa.last_user_metadata(conversation.id)
        if last is not None and last.get("message_id") == inbound.id:
            await self.rasa.rewind(conversation.id)

    async def _drain(
        self,
        conversation: Conversation,
        notify: bool,
        pending: Optional[list[StoredMessage]] = None,
        claimed: bool = False,
    ) -> tuple[list[StoredMessage], bool]:
        """Send the waiting messages to Rasa one by one, in order; (answers, Rasa failed).

        `pending`: the waiting messages, when the caller has just read them; `claimed`: the first
        of them is claimed already (in the caller's transaction)."""
        produced: list[StoredMessage] = []
        while True:
            if pending is None:
                pending, claimed = await self.repository.pending_inbound(conversation.id), False
            if not pending:
                return produced, False
            inbound = pending[0]
            if not claimed and not await self.repository.claims.claim(inbound.id, self.claim_lease):
                return produced, False  # another instance is sending it; it goes on with the rest
            started = time.perf_counter()
            try:
                # Satisfaction answers are the gateway's own: they never reach Rasa.
                answer = await self.observer.intercept(conversation, inbound) if self.observer else None
                replies = answer if answer is not None else await self._ask(conversation, inbound)
            except RasaUnavailable as exc:
                dead = self.dead_letters if isinstance(exc, TurnLost) and exc.poison else None
                if dead is not None and await dead.exhausted(inbound.id):
                    produced += await dead.bury(conversation.id, inbound.id)
                    pending, claimed = None, False  # the conversation goes on with the next one
                    continue
                if not isinstance(exc, TurnLost):  # Rasa may have processed it before failing
                    self._unreverted.add(inbound.id)  # (a timeout): check its tracker first
                await self.repository.claims.release(inbound.id)
                log.warning("rasa unavailable: %s", exc, extra={"conversation_id": conversation.id})
                if self.metrics is not None:
                    self.metrics.errors.labels("actions" if isinstance(exc, TurnLost) else "rasa").inc()
                if notify:
                    produced += await self.repository.add_outbound(
                        conversation.id, "system", [OutboundMessage(text=texts.text("delayed_answer"))]
                    )
                return produced, True
            except BaseException:
                with contextlib.suppress(Exception):  # else the claim's lease runs out
                    await self.repository.claims.release(inbound.id)
                raise
            elapsed = time.perf_counter() - started
            log.info(
                "message answered",
                extra={"conversation_id": conversation.id, "latency_ms": round(elapsed * 1000, 1)},
            )
            # One transaction: the answers, the message done, the next one waiting and its claim.
            answered, pending, claimed = await self.repository.complete_turn(
                conversation.id, inbound.id, await self._prepare(conversation, replies, inbound)
            )
            if self.metrics is not None:
                self.metrics.reply_seconds.labels(conversation.channel).observe(elapsed)
            self._count(conversation.channel, "bot", len(answered))
            produced += answered
