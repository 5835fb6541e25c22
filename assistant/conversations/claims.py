"""Claims on pending messages: at most one gateway instance sends a message to Rasa."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from assistant.conversations.models import Conversation
from assistant.conversations.sql import DELETE_CLAIM, claim_in, conversation_from_row, status_of, utcnow
from assistant.storage import Database
from assistant.storage.tables import conversations, inbound_claims, messages


class InboundClaims:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim(self, message_id: int, lease: timedelta) -> bool:
        """True when this instance may send the pending message to Rasa, and no other may.

        The claim is a row keyed by the message id (so one insert wins on any instance), taken
        over when older than `lease` (its instance died); then the message must still be pending.
        """
        now = utcnow()
        try:
            async with self.db.connect() as conn:  # the usual case: one transaction
                if await claim_in(conn, message_id, now):
                    return True
        except IntegrityError:  # the message is gone (erased)
            return False
        async with self.db.connect() as conn:  # claimed already: taken over if its lease ran out
            result = await conn.execute(
                inbound_claims.update()
                .where(inbound_claims.c.message_id == message_id, inbound_claims.c.claimed_at < now - lease)
                .values(claimed_at=now)
            )
            if result.rowcount != 1:
                return False
        async with self.db.connect() as conn:  # answered meanwhile by the claim's previous holder?
            status = await status_of(conn, message_id)
        if status != "pending":
            await self.release(message_id)
            return False
        return True

    async def release(self, message_id: int) -> None:
        """Give a claimed message back: it stays pending, to be sent again later."""
        async with self.db.connect() as conn:
            await conn.execute(DELETE_CLAIM, {"mid": message_id})

    async def with_pending(
        self, since: datetime, before: datetime, lease: timedelta, limit: int = 100
    ) -> list[Conversation]:
        """Conversations in bot mode, active since `since`, with an inbound message still waiting.

        Only messages stored before `before` and with no claim younger than `lease`: the others
        are being answered right now.
        """
        claimed = sa.exists().where(
            inbound_claims.c.message_id == messages.c.id,
            inbound_claims.c.claimed_at >= utcnow() - lease,
        )
        waiting = sa.exists().where(
            messages.c.conversation_id == conversations.c.id,
            messages.c.role == "user",
            messages.c.status == "pending",
            messages.c.created_at < before,
            ~claimed,
        )
        query = (
            conversations.select()
            .where(conversations.c.updated_at >= since, conversations.c.mode == "bot", waiting)
            .order_by(conversations.c.updated_at)
            .limit(limit)
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [conversation_from_row(r) for r in rows]
