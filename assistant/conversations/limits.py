"""The per-sender rate limit every inbound path applies: a message over it is stored, not answered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from assistant import texts
from assistant.conversations.models import Conversation, OutboundMessage, StoredMessage
from assistant.conversations.service import ConversationService
from assistant.infra.ratelimit import RateLimiter


@dataclass(frozen=True)
class Refusal:
    """The sender is over the limit: the message was stored, not forwarded."""

    notice: list[StoredMessage]  # the polite message to send; empty after the first refusal


async def over_limit(
    limiter: RateLimiter,
    service: ConversationService,
    conversation: Conversation,
    sender_key: str,
    text: Optional[str],
    payload: Optional[str],
    custom: Optional[dict[str, Any]] = None,
) -> Optional[Refusal]:
    """Count the message; over the limit, store it as `rate_limited` and say so once per window."""
    decision = await limiter.check(sender_key)
    if decision.allowed:
        return None
    return await refuse(service, conversation, decision.first_refusal, text, payload, custom)


async def refuse(
    service: ConversationService,
    conversation: Conversation,
    notify: bool,
    text: Optional[str],
    payload: Optional[str],
    custom: Optional[dict[str, Any]] = None,
) -> Refusal:
    """A message over the limit: stored, and said so when `notify` (the window's first refusal)."""
    async with service.locks.hold(conversation.id):
        await service.repository.add_inbound(
            conversation.id, text, payload, status="rate_limited", custom=custom
        )
        notice: list[StoredMessage] = []
        if notify:
            notice = await service.repository.add_outbound(
                conversation.id, "system", [OutboundMessage(text=texts.text("rate_limited"))]
            )
    return Refusal(notice)
