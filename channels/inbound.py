"""What every inbound channel shares: the per-sender rate limit and reading buttons back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from assistant import texts
from assistant.conversations.models import Button, Conversation, OutboundMessage, StoredMessage
from assistant.infra.ratelimit import RateLimiter
from assistant.storage import Database
from assistant.storage.tables import messages

if TYPE_CHECKING:
    from assistant.conversations.service import ConversationService

RECENT_MESSAGES = 50  # how far back a numbered SMS choice may look for its buttons


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
    count = await limiter.hit(sender_key)
    if count <= limiter.limit:
        return None
    return await refuse(limiter, service, conversation, count, text, payload, custom)


async def refuse(
    limiter: RateLimiter,
    service: ConversationService,
    conversation: Conversation,
    count: int,
    text: Optional[str],
    payload: Optional[str],
    custom: Optional[dict[str, Any]] = None,
) -> Refusal:
    """The message number `count` of the window, over the limit: stored, and said so once."""
    async with service.locks.hold(conversation.id):
        await service.repository.add_inbound(
            conversation.id, text, payload, status="rate_limited", custom=custom
        )
        notice: list[StoredMessage] = []
        if count == limiter.limit + 1:
            notice = await service.repository.add_outbound(
                conversation.id, "system", [OutboundMessage(text=texts.text("rate_limited"))]
            )
    return Refusal(notice)


def _buttons(raw: object) -> tuple[Button, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        Button(str(b["title"]), str(b["payload"])) for b in raw if isinstance(b, dict) and "payload" in b
    )


async def last_buttons(db: Database, conversation_id: str) -> tuple[Button, ...]:
    """The buttons of the latest bot or agent message that had some."""
    query = (
        messages.select()
        .with_only_columns([messages.c.buttons])
        .where(messages.c.conversation_id == conversation_id, messages.c.role.in_(("bot", "agent")))
        .order_by(messages.c.id.desc())
        .limit(RECENT_MESSAGES)
    )
    async with db.connect() as conn:
        rows = (await conn.execute(query)).all()
    for (raw,) in rows:
        buttons = _buttons(raw)
        if buttons:
            return buttons
    return ()


async def message_buttons(db: Database, conversation_id: str, message_id: int) -> tuple[Button, ...]:
    """The buttons of one stored message, only if it belongs to the conversation."""
    query = (
        messages.select()
        .with_only_columns([messages.c.buttons])
        .where(messages.c.conversation_id == conversation_id, messages.c.id == message_id)
    )
    async with db.connect() as conn:
        row = (await conn.execute(query)).first()
    return () if row is None else _buttons(row[0])
