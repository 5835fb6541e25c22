"""What the gateway learns from each turn: signals from the dialogue, situations, satisfaction.

The dialogue marks some of its responses with a custom payload `{"type": "signal", "signal": …}`
(domain.yml): `misunderstood` (its fallback), `low_confidence` (it asks which situation), `end`
(goodbye, thanks); the gateway adds `handoff_closed` when an agent hands back. Signals are removed
here, never shown. A plan names the conversation's situations; fiche cards get "did it help?".
"""

from __future__ import annotations

import logging
from typing import Any, Optional

from assistant.conversations.models import Conversation, OutboundMessage, StoredMessage
from assistant.review.repository import ReviewRepository
from assistant.satisfaction.service import SatisfactionService
from assistant.stats.situations import SituationRepository

log = logging.getLogger(__name__)

REVIEWED_SIGNALS = ("misunderstood", "low_confidence")
END_SIGNALS = {"end": "end", "handoff_closed": "handoff"}  # signal → the CSAT's trigger


def situation_ids(items: Any) -> list[str]:
    """Ids from a list of situations, each an id or {"id": …}."""
    ids = []
    for entry in items if isinstance(items, list) else []:
        value = entry.get("id") if isinstance(entry, dict) else entry
        if isinstance(value, str):
            ids.append(value)
    return ids


class TurnInsights:
    def __init__(
        self, satisfaction: SatisfactionService, situations: SituationRepository, review: ReviewRepository
    ) -> None:
        self.satisfaction = satisfaction
        self.situations = situations
        self.review = review

    async def intercept(
        self, conversation: Conversation, inbound: StoredMessage
    ) -> Optional[list[OutboundMessage]]:
        return await self.satisfaction.answer(conversation, inbound)

    async def after_turn(
        self, conversation: Conversation, inbound: Optional[StoredMessage], replies: list[OutboundMessage]
    ) -> list[OutboundMessage]:
        kept: list[OutboundMessage] = []
        signals: list[str] = []
        for reply in replies:
            custom = reply.custom or {}
            kind = custom.get("type")
            if kind == "signal":
                signals.append(str(custom.get("signal")))
                if reply.text or reply.buttons:  # a response with text and a signal: keep the text
                    kept.append(OutboundMessage(text=reply.text, buttons=reply.buttons))
                continue
            if kind == "plan":
                await self.situations.record(conversation.id, situation_ids(custom.get("situations")))
            kept.append(reply)
        typed = inbound is not None and inbound.payload is None and bool(inbound.text)
        if inbound is not None and typed:
            for signal in REVIEWED_SIGNALS:
                if signal in signals:
                    await self.review.enqueue(
                        conversation.id, conversation.channel, inbound.id, signal, inbound.text or ""
                    )
        trigger = next((END_SIGNALS[s] for s in signals if s in END_SIGNALS), None)
        if trigger is not None:
            return kept + await self.satisfaction.ask(conversation, trigger)
        fiches = any((r.custom or {}).get("type") == "fiches" for r in kept)
        other_choices = any(r.buttons or (r.custom or {}).get("buttons") for r in kept)
        if inbound is not None and typed and fiches and not other_choices:
            kept.append(self.satisfaction.offer_rating(inbound))
        return kept

    async def handoff_opened(self, conversation: Conversation, reason: str, context: dict[str, Any]) -> None:
        await self.situations.record(conversation.id, situation_ids(context.get("situations")))
        if reason != "misunderstood":
            return
        typed = await self.satisfaction.repository.typed_messages(conversation.id)
        if typed:  # the message the bot failed on last
            message_id, text = typed[-1]
            await self.review.enqueue(
                conversation.id, conversation.channel, message_id, "handoff_misunderstood", text
            )
