"""Satisfaction records: one CSAT row per conversation (never asked twice), ratings of answers."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from assistant.storage import Database
from assistant.storage.tables import answer_ratings, csat_responses, messages

OPEN_STATUSES = ("asked", "reason_asked", "comment_asked")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class SatisfactionRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def ask(self, conversation_id: str, channel: str, trigger: str) -> bool:
        """Record that the question is asked; False if it ever was in this conversation."""
        try:
            async with self.db.connect() as conn:
                await conn.execute(
                    csat_responses.insert().values(
                        conversation_id=conversation_id,
                        channel=channel,
                        trigger=trigger,
                        status="asked",
                        asked_at=utcnow(),
                    )
                )
        except IntegrityError:
            return False
        return True

    async def state(self, conversation_id: str) -> Optional[dict[str, Any]]:
        async with self.db.connect() as conn:
            row = (
                (
                    await conn.execute(
                        csat_responses.select().where(csat_responses.c.conversation_id == conversation_id)
                    )
                )
                .mappings()
                .first()
            )
        return dict(row) if row else None

    async def update(self, conversation_id: str, expected: tuple[str, ...], **values: Any) -> bool:
        """Move the answer on from one of the `expected` statuses (False when it is not there)."""
        async with self.db.connect() as conn:
            result = await conn.execute(
                csat_responses.update()
                .where(
                    csat_responses.c.conversation_id == conversation_id, csat_responses.c.status.in_(expected)
                )
                .values(**values)
            )
        return bool(result.rowcount)

    async def score(self, conversation_id: str, score: int, status: str) -> bool:
        return await self.update(
            conversation_id, ("asked",), score=score, status=status, answered_at=utcnow()
        )

    async def rate(self, conversation_id: str, message_id: int, helpful: bool) -> bool:
        """One rating per question answered; False when it was rated already or is not this conversation's."""
        try:
            async with self.db.connect() as conn:
                owner = await conn.execute(
                    sa.select(messages.c.id).where(
                        messages.c.id == message_id, messages.c.conversation_id == conversation_id
                    )
                )
                if owner.first() is None:
                    return False
                await conn.execute(
                    answer_ratings.insert().values(
                        message_id=message_id,
                        conversation_id=conversation_id,
                        helpful=helpful,
                        created_at=utcnow(),
                    )
                )
        except IntegrityError:
            return False
        return True

    async def typed_messages(self, conversation_id: str) -> list[tuple[int, str]]:
        """(id, text) of what the person typed (not button presses), oldest first."""
        query = (
            sa.select(messages.c.id, messages.c.text)
            .where(
                messages.c.conversation_id == conversation_id,
                messages.c.role == "user",
                messages.c.payload.is_(None),
                messages.c.text.isnot(None),
            )
            .order_by(messages.c.id)
        )
        async with self.db.connect() as conn:
            return [(int(i), str(t)) for i, t in (await conn.execute(query)).all()]
