"""The SQL claim that keeps two gateway instances from sending one pending message to Rasa twice."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from assistant.config import Settings
from assistant.conversations.models import OutboundMessage
from assistant.conversations.repository import ConversationRepository
from assistant.storage import Database
from assistant.storage.tables import inbound_claims

LEASE = timedelta(seconds=90)


async def test_one_claim_per_pending_message(database_url: str) -> None:
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    first, second = Database(settings.sqlalchemy_url), Database(settings.sqlalchemy_url)
    await first.start()
    await second.start()  # two instances, two engines, one database
    try:
        one, two = ConversationRepository(first), ConversationRepository(second)
        conversation = await one.create("web")
        message = await one.add_inbound(conversation.id, "je déménage", None)
        won = await asyncio.gather(*(repo.claims.claim(message.id, LEASE) for repo in (one, two, one, two)))
        assert sorted(won) == [False, False, False, True]
        await one.claims.release(message.id)  # Rasa did not answer: the message may be sent again
        assert await two.claims.claim(message.id, LEASE)
        assert not await one.claims.claim(message.id, LEASE)
        await two.add_outbound(conversation.id, "bot", [OutboundMessage(text="Locataire ?")], message.id)
        assert not await one.claims.claim(message.id, LEASE)  # answered: never sent again
        async with first.connect() as conn:
            left = (await conn.execute(sa.select(sa.func.count()).select_from(inbound_claims))).scalar()
        assert left == 0
    finally:
        await first.stop()
        await second.stop()


async def test_a_lost_claim_is_taken_over_after_its_lease(database_url: str) -> None:
    settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
    db = Database(settings.sqlalchemy_url)
    await db.start()
    try:
        repo = ConversationRepository(db)
        conversation = await repo.create("web")
        message = await repo.add_inbound(conversation.id, "je déménage", None)
        assert await repo.claims.claim(message.id, LEASE)
        assert not await repo.claims.claim(message.id, LEASE)
        old = datetime.now(timezone.utc) - LEASE - timedelta(seconds=1)
        async with db.connect() as conn:  # the instance that held it died long ago
            await conn.execute(inbound_claims.update().values(claimed_at=old))
        since = datetime.now(timezone.utc) - timedelta(hours=1)
        now = datetime.now(timezone.utc)
        assert [c.id for c in await repo.claims.with_pending(since, now, LEASE)] == [conversation.id]  # lost
        assert await repo.claims.claim(message.id, LEASE)
        assert await repo.claims.with_pending(since, now, LEASE) == []  # being answered
        await repo.claims.release(message.id)
        assert [c.id for c in await repo.claims.with_pending(since, now, LEASE)] == [conversation.id]
        assert await repo.claims.with_pending(since, since, LEASE) == []  # too recent: just being answered
    finally:
        await db.stop()
