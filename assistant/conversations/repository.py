"""SQL access for conversations and their messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Optional

import sqlalchemy as sa

from assistant.conversations.claims import InboundClaims
from assistant.conversations.models import (
    Button,
    Conversation,
    ConversationNotFound,
    OutboundMessage,
    StoredMessage,
)
from assistant.conversations.sql import (
    SELECT_CONVERSATION,
    Row,
    claim_in,
    conversation_from_row,
    insert_messages,
    message_from_row,
    new_conversation_id,
    pending_in,
    utcnow,
)
from assistant.storage import Database
from assistant.storage.tables import conversations, messages

__all__ = ["ConversationRepository", "utcnow"]

RECENT_BUTTONS = 50  # how far back a numbered SMS choice may look for its buttons


def _buttons(raw: object) -> tuple[Button, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(
        Button(str(b["title"]), str(b["payload"])) for b in raw if isinstance(b, dict) and "payload" in b
    )


class ConversationRepository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.claims = InboundClaims(db)

    async def create(self, channel: str, sender_ref: Optional[str] = None) -> Conversation:
        now = utcnow()
        conv = Conversation(
            id=new_conversation_id(), channel=channel, mode="bot", created_at=now, sender_ref=sender_ref
        )
        async with self.db.connect() as conn:
            await conn.execute(
                conversations.insert().values(
                    id=conv.id,
                    channel=channel,
                    sender_ref=sender_ref,
                    mode="bot",
                    created_at=now,
                    updated_at=now,
                )
            )
        return conv

    async def get(self, conversation_id: str) -> Optional[Conversation]:
        async with self.db.connect() as conn:
            row = (await conn.execute(SELECT_CONVERSATION, {"cid": conversation_id})).mappings().first()
        return None if row is None else conversation_from_row(row)

    async def find_by_sender(self, channel: str, sender_ref: str) -> Optional[Conversation]:
        """The latest conversation of a channel's sender (a Telegram chat, a phone number)."""
        query = (
            conversations.select()
            .where(conversations.c.channel == channel, conversations.c.sender_ref == sender_ref)
            .order_by(conversations.c.created_at.desc())
            .limit(1)
        )
        async with self.db.connect() as conn:
            row = (await conn.execute(query)).mappings().first()
        return None if row is None else conversation_from_row(row)

    async def add_inbound(
        self,
        conversation_id: str,
        text: Optional[str],
        payload: Optional[str],
        status: str = "pending",
        custom: Optional[dict[str, Any]] = None,
    ) -> StoredMessage:
        """Store what the person wrote, before anything else happens to it.

        `pending` until the bot has answered it; `agent` when it went to a human instead.
        `custom` carries channel data, such as the widget's `client_id`.
        """
        rows: list[Row] = [(text, payload, (), custom)]
        return (await self._insert(conversation_id, "user", rows, status))[0]

    async def add_outbound(
        self,
        conversation_id: str,
        role: str,
        outbound: Iterable[OutboundMessage],
        completes: Optional[int] = None,
    ) -> list[StoredMessage]:
        """Store replies; in the same transaction, mark the inbound message `completes` done."""
        rows: list[Row] = [(m.text, None, m.buttons, m.custom) for m in outbound]
        return await self._insert(conversation_id, role, rows, "done", completes)

    async def complete_turn(
        self, conversation_id: str, inbound_id: int, outbound: Iterable[OutboundMessage]
    ) -> tuple[list[StoredMessage], list[StoredMessage], bool]:
        """One transaction: the bot's replies stored and `inbound_id` done, then the messages
        still pending and whether this instance claimed the first of them (see `claim`)."""
        rows: list[Row] = [(m.text, None, m.buttons, m.custom) for m in outbound]
        async with self.db.connect() as conn:
            stored = await insert_messages(conn, conversation_id, "bot", rows, "done", inbound_id)
            pending = await pending_in(conn, conversation_id)
            claimed = bool(pending) and await claim_in(conn, pending[0].id, read_here=True)
        return stored, pending, claimed

    async def pending_inbound(self, conversation_id: str) -> list[StoredMessage]:
        async with self.db.connect() as conn:
            return await pending_in(conn, conversation_id)

    async def store_inbound(
        self,
        conversation_id: str,
        text: Optional[str],
        payload: Optional[str],
        custom: Optional[dict[str, Any]] = None,
        claim: bool = False,
    ) -> tuple[Conversation, StoredMessage, list[StoredMessage], bool]:
        """One transaction: the conversation as it is now, the person's message stored `agent`
        when a human has the conversation (else `pending`), the messages still pending, and
        (with `claim`) whether this instance claimed the first of them (see `claim`).
        ConversationNotFound, and nothing stored, when there is no such conversation."""
        async with self.db.connect() as conn:
            row = (await conn.execute(SELECT_CONVERSATION, {"cid": conversation_id})).mappings().first()
            if row is None:
                raise ConversationNotFound(conversation_id)
            current = conversation_from_row(row)
            status = "agent" if current.mode == "handoff" else "pending"
            rows: list[Row] = [(text, payload, (), custom)]
            stored = (await insert_messages(conn, conversation_id, "user", rows, status))[0]
            pending = await pending_in(conn, conversation_id) if status == "pending" else []
            claimed = bool(pending) and claim and await claim_in(conn, pending[0].id, read_here=True)
        return current, stored, pending, claimed

    async def set_status(self, message_id: int, status: str) -> None:
        async with self.db.connect() as conn:
            await conn.execute(messages.update().where(messages.c.id == message_id).values(status=status))

    async def transcript(self, conversation_id: str, limit: int = 500) -> list[StoredMessage]:
        query = (
            messages.select()
            .where(messages.c.conversation_id == conversation_id)
            .order_by(messages.c.id)
            .limit(limit)
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [message_from_row(r) for r in rows]

    async def _insert(
        self,
        conversation_id: str,
        role: str,
        rows: list[Row],
        status: str,
        completes: Optional[int] = None,
    ) -> list[StoredMessage]:
        async with self.db.connect() as conn:
            return await insert_messages(conn, conversation_id, role, rows, status, completes)

    async def after(self, conversation_id: str, after: int, limit: int) -> list[StoredMessage]:
        """The conversation's messages with an id above `after`, in id order."""
        query = (
            messages.select()
            .where(messages.c.conversation_id == conversation_id, messages.c.id > after)
            .order_by(messages.c.id)
            .limit(limit)
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [message_from_row(r) for r in rows]

    async def latest_id(self, conversation_id: str) -> int:
        query = sa.select(sa.func.max(messages.c.id)).where(messages.c.conversation_id == conversation_id)
        async with self.db.connect() as conn:
            value = (await conn.execute(query)).scalar()
        return int(value or 0)

    async def last_buttons(self, conversation_id: str) -> tuple[Button, ...]:
        """The buttons of the latest bot or agent message that had some."""
        query = (
            sa.select(messages.c.buttons)
            .where(messages.c.conversation_id == conversation_id, messages.c.role.in_(("bot", "agent")))
            .order_by(messages.c.id.desc())
            .limit(RECENT_BUTTONS)
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return next((found for (raw,) in rows if (found := _buttons(raw))), ())

    async def message_buttons(self, conversation_id: str, message_id: int) -> tuple[Button, ...]:
        """The buttons of one stored message, only if it belongs to the conversation."""
        query = sa.select(messages.c.buttons).where(
            messages.c.conversation_id == conversation_id, messages.c.id == message_id
        )
        async with self.db.connect() as conn:
            row = (await conn.execute(query)).first()
        return () if row is None else _buttons(row[0])
