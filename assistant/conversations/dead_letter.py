"""Messages that break their turn again and again are set aside ("dead letter"), not retried forever.

A turn is lost when Rasa answers nothing (or an action fails) while the action server is healthy:
the message itself is the cause. Each such failure is counted in the message's `custom` JSON
(`tries`); at `max_tries` the message is marked `failed`, its claim dropped and a system message
tells the person, in one transaction. The conversation then goes on with the next message.
Failures while Rasa, its stores (Redis: Rasa then answers every message with nothing) or the
action server are down are not counted: those messages wait."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from assistant import texts
from assistant.conversations.models import StoredMessage
from assistant.conversations.sql import DELETE_CLAIM, Row, insert_messages
from assistant.storage import Database
from assistant.storage.tables import messages

log = logging.getLogger(__name__)

FAILED = "failed"
DEFAULT_MAX_TRIES = 3


class DeadLetters:
    def __init__(self, db: Database, max_tries: int = DEFAULT_MAX_TRIES) -> None:
        self.db = db
        self.max_tries = max_tries

    async def record_failure(self, message_id: int) -> int:
        """Count one lost turn of this message (the caller holds its claim); the count so far."""
        async with self.db.connect() as conn:
            raw = (
                await conn.execute(sa.select(messages.c.custom).where(messages.c.id == message_id))
            ).scalar()
            custom: dict[str, Any] = dict(raw) if isinstance(raw, dict) else {}
            tries = int(custom.get("tries") or 0) + 1
            await conn.execute(
                messages.update().where(messages.c.id == message_id).values(custom={**custom, "tries": tries})
            )
        return tries

    async def exhausted(self, message_id: int) -> bool:
        """Count a lost turn; True when the message has now failed `max_tries` times."""
        tries = await self.record_failure(message_id)
        if tries < self.max_tries:
            return False
        log.warning("message %d set aside after %d lost turns", message_id, tries)
        return True

    async def bury(self, conversation_id: str, message_id: int) -> list[StoredMessage]:
        """Mark the message failed, drop its claim, store the notice for the person; the notice."""
        rows: list[Row] = [(texts.text("message_failed"), None, (), None)]
        async with self.db.connect() as conn:
            await conn.execute(messages.update().where(messages.c.id == message_id).values(status=FAILED))
            await conn.execute(DELETE_CLAIM, {"mid": message_id})
            return await insert_messages(conn, conversation_id, "system", rows, "done")
