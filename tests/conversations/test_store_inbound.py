"""Storing the person's message, the conversation's mode and what waits, in one transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import sqlalchemy as sa

from assistant.config import Settings
from assistant.conversations.models import ConversationNotFound, OutboundMessage
from assistant.conversations.repository import ConversationRepository
from assistant.storage import Database
from assistant.storage.tables import conversations, inbound_claims, messages

LEASE = timedelta(seconds=90)


@pytest.fixture
async def databases(database_url: str) -> AsyncIterator[list[Database]]:
    """Two gateway instances' engines on one database, started for the test."""
    url = Settings(_env_file=None, database_url=database_url).sqlalchemy_url  # type: ignore[call-arg]
    started = [Database(url), Database(url)]
    for database in started:
        await database.start()
    yield started
    for database in started:
        await database.stop()


@pytest.fixture
def db(databases: list[Database]) -> Database:
    return databases[0]


async def test_pending_messages_come_back_in_order_with_the_new_one(db: Database) -> None:
    repo = ConversationRepository(db)
    conversation = await repo.create("web")
    waiting = await repo.add_inbound(conversation.id, "je déménage", None)  # Rasa was down
    current, stored, pending, claimed = await repo.store_inbound(conversation.id, "je suis locataire", None)
    assert current is not None and current.mode == "bot" and not claimed
    assert stored.status == "pending" and stored.text == "je suis locataire"
    assert [m.id for m in pending] == [waiting.id, stored.id]
    await repo.add_outbound(conversation.id, "bot", [OutboundMessage(text="Bien noté.")], waiting.id)
    _, later, pending, _ = await repo.store_inbound(conversation.id, None, '/answer{"choice_id":"x"}')
    assert [m.id for m in pending] == [stored.id, later.id]
    assert [m.status for m in await repo.transcript(conversation.id)] == [
        "done", "pending", "done", "pending"
    ]  # fmt: skip


async def test_during_a_handoff_the_message_goes_to_the_agent(db: Database) -> None:
    repo = ConversationRepository(db)
    conversation = await repo.create("web")
    async with db.connect() as conn:
        await conn.execute(
            sa.update(conversations).where(conversations.c.id == conversation.id).values(mode="handoff")
        )
    current, stored, pending, claimed = await repo.store_inbound(
        conversation.id, "vous êtes là ?", None, claim=True
    )
    assert current is not None and current.mode == "handoff"
    assert stored.status == "agent" and pending == [] and not claimed
    assert await repo.pending_inbound(conversation.id) == []


async def test_the_first_waiting_message_is_claimed_with_the_store_unless_another_has_it(
    databases: list[Database],
) -> None:
    first, second = databases  # two instances, one database
    one, two = ConversationRepository(first), ConversationRepository(second)
    conversation = await one.create("web")
    _, stored, pending, claimed = await one.store_inbound(conversation.id, "je déménage", None, claim=True)
    assert [m.id for m in pending] == [stored.id] and claimed
    assert not await two.claims.claim(stored.id, LEASE)  # the other instance may not send it
    # While it is being answered, the next message is stored, unclaimed: the first comes first.
    _, later, pending, claimed = await two.store_inbound(conversation.id, "et mon loyer ?", None, claim=True)
    assert [m.id for m in pending] == [stored.id, later.id] and not claimed
    assert [m.status for m in await one.transcript(conversation.id)] == ["pending", "pending"]
    await one.claims.release(stored.id)


async def test_a_completed_turn_hands_over_the_next_waiting_message_claimed(db: Database) -> None:
    repo = ConversationRepository(db)
    conversation = await repo.create("web")
    _, first, _, claimed = await repo.store_inbound(conversation.id, "je déménage", None, claim=True)
    _, second, _, _ = await repo.store_inbound(conversation.id, "je suis locataire", None, claim=True)
    assert claimed
    answers, pending, claimed = await repo.complete_turn(
        conversation.id, first.id, [OutboundMessage(text="Bien noté."), OutboundMessage(text="Autre ?")]
    )
    assert [a.text for a in answers] == ["Bien noté.", "Autre ?"] and {a.role for a in answers} == {"bot"}
    assert [m.id for m in pending] == [second.id] and claimed
    assert not await repo.claims.claim(second.id, LEASE)  # claimed in that transaction
    answers, pending, claimed = await repo.complete_turn(conversation.id, second.id, [])
    assert answers == [] and pending == [] and not claimed
    assert [m.status for m in await repo.transcript(conversation.id)] == ["done", "done", "done", "done"]
    mine = inbound_claims.c.message_id.in_([first.id, second.id])
    async with db.connect() as conn:
        left = (await conn.execute(sa.select(sa.func.count()).where(mine))).scalar()
    assert left == 0


async def test_a_message_for_a_conversation_that_is_gone_is_refused_and_not_stored(db: Database) -> None:
    repo = ConversationRepository(db)
    with pytest.raises(ConversationNotFound):
        await repo.store_inbound("gone00000000000000000000", "bonjour", None, claim=True)
    async with db.connect() as conn:
        count = (
            await conn.execute(
                sa.select(sa.func.count()).where(messages.c.conversation_id == "gone00000000000000000000")
            )
        ).scalar()
    assert count == 0
