"""Conversation records on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.conversations.models import Button, OutboundMessage
from assistant.conversations.repository import ConversationRepository
from assistant.storage import Database, StorageUnavailable


async def test_records_round_trip(database_url: str) -> None:
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    db = Database(settings.sqlalchemy_url)
    await db.start()
    try:
        repo = ConversationRepository(db)
        conversation = await repo.create("web")
        assert (await repo.get(conversation.id)) is not None
        assert await repo.get("missing-conversation-id") is None
        inbound = await repo.add_inbound(conversation.id, "Je déménage", None)
        assert [m.id for m in await repo.pending_inbound(conversation.id)] == [inbound.id]
        replies = [OutboundMessage(text="Locataire ?", buttons=(Button("Locataire", "/x"),))]
        await repo.add_outbound(conversation.id, "bot", replies, completes=inbound.id)
        assert await repo.pending_inbound(conversation.id) == []
        transcript = await repo.transcript(conversation.id)
        assert [(m.role, m.text, m.status) for m in transcript] == [
            ("user", "Je déménage", "done"),
            ("bot", "Locataire ?", "done"),
        ]
        assert transcript[1].buttons == (Button("Locataire", "/x"),)
        assert transcript[0].created_at.tzinfo is not None
        assert await db.ping()
    finally:
        await db.stop()


async def test_unreachable_database_is_reported() -> None:
    db = Database("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    with pytest.raises(StorageUnavailable):
        await db.start()
    assert await db.ping() is False
    await db.stop()


async def test_find_by_sender_returns_the_latest(database_url: str) -> None:
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    db = Database(settings.sqlalchemy_url)
    await db.start()
    try:
        repo = ConversationRepository(db)
        first = await repo.create("telegram", "chat-42")
        second = await repo.create("telegram", "chat-42")
        await repo.create("sms", "chat-42")
        found = await repo.find_by_sender("telegram", "chat-42")
        assert found is not None and found.id in (first.id, second.id) and found.channel == "telegram"
        assert found.id == second.id or found.created_at == first.created_at
        assert await repo.find_by_sender("telegram", "someone-else") is None
    finally:
        await db.stop()
