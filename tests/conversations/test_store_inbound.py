"""Storing the person's message, the conversation's mode and what waits, in one transaction."""

from __future__ import annotations

import sqlalchemy as sa

from assistant.config import Settings
from assistant.conversations.models import OutboundMessage
from assistant.conversations.repository import ConversationRepository
from assistant.storage import Database
from assistant.storage.tables import conversations


async def test_pending_messages_come_back_in_order_with_the_new_one(database_url: str) -> None:
    db = Database(Settings(_env_file=None, database_url=database_url).sqlalchemy_url)  # type: ignore[call-arg]
    await db.start()
    try:
        repo = ConversationRepository(db)
        conversation = await repo.create("web")
        waiting = await repo.add_inbound(conversation.id, "je déménage", None)  # Rasa was down
        current, stored, pending = await repo.store_inbound(conversation.id, "je suis locataire", None)
        assert current is not None and current.mode == "bot"
        assert stored.status == "pending" and stored.text == "je suis locataire"
        assert [m.id for m in pending] == [waiting.id, stored.id]
        await repo.add_outbound(conversation.id, "bot", [OutboundMessage(text="Bien noté.")], waiting.id)
        _, later, pending = await repo.store_inbound(conversation.id, None, '/answer{"choice_id":"x"}')
        assert [m.id for m in pending] == [stored.id, later.id]
        assert [m.status for m in await repo.transcript(conversation.id)] == [
            "done", "pending", "done", "pending"
        ]  # fmt: skip
    finally:
        await db.stop()


async def test_during_a_handoff_the_message_goes_to_the_agent(database_url: str) -> None:
    db = Database(Settings(_env_file=None, database_url=database_url).sqlalchemy_url)  # type: ignore[call-arg]
    await db.start()
    try:
        repo = ConversationRepository(db)
        conversation = await repo.create("web")
        async with db.connect() as conn:
            await conn.execute(
                sa.update(conversations).where(conversations.c.id == conversation.id).values(mode="handoff")
            )
        current, stored, pending = await repo.store_inbound(conversation.id, "vous êtes là ?", None)
        assert current is not None and current.mode == "handoff"
        assert stored.status == "agent" and pending == []
        assert await repo.pending_inbound(conversation.id) == []
    finally:
        await db.stop()
