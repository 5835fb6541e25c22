"""Retention and erasure: records, feedback contacts and Rasa trackers."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from assistant.config import Settings
from assistant.conversations.models import OutboundMessage
from assistant.conversations.repository import ConversationRepository
from assistant.feedback.repository import FeedbackRepository
from assistant.privacy.retention import erase_conversation, purge
from assistant.storage import Database
from assistant.storage.tables import (
    channel_events,
    conversations,
    feedback,
    handoff_notes,
    handoffs,
    link_codes,
    messages,
    metadata,
    plan_exports,
    sms_recipients,
    web_client_messages,
)


def make_tracker_db(path: Path, rows: list[tuple[str, float]]) -> None:
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, timestamp REAL)"))
        for sender, stamp in rows:
            conn.execute(
                sa.text("INSERT INTO events (sender_id, timestamp) VALUES (:s, :t)"),
                {"s": sender, "t": stamp},
            )
    engine.dispose()


def tracker_senders(path: Path) -> set[str]:
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        found = {row[0] for row in conn.execute(sa.text("SELECT DISTINCT sender_id FROM events"))}
    engine.dispose()
    return found


ATTACHED = ("messages", "plan_exports", "handoffs", "handoff_notes", "link_codes", "web_client_messages")


async def attach_everything(db: Database, conversation: str, number: str, when: datetime) -> None:
    """One row in every table that hangs off a conversation, as the services would write them."""
    handoff = "h" + conversation[:20]
    async with db.connect() as conn:
        await conn.execute(
            plan_exports.insert().values(
                token="t" + conversation, conversation_id=conversation, plan={}, updated_at=when
            )
        )
        await conn.execute(
            handoffs.insert().values(
                id=handoff, conversation_id=conversation, status="closed", reason="explicit",
                priority=1, packet={"name": "Jean"}, created_at=when,
            )
        )  # fmt: skip
        await conn.execute(
            handoff_notes.insert().values(handoff_id=handoff, text="rappeler", created_at=when)
        )
        await conn.execute(
            link_codes.insert().values(
                code_hash="c" + conversation, conversation_id=conversation, created_at=when, expires_at=when
            )
        )
        await conn.execute(
            web_client_messages.insert().values(
                conversation_id=conversation, client_id="cid", claimed_at=when
            )
        )
        await conn.execute(
            sms_recipients.insert().values(
                number=number, opted_out=False, pending_text="suite", updated_at=when
            )
        )


async def rows_of(db: Database, conversation: str) -> dict[str, int]:
    found: dict[str, int] = {}
    async with db.connect() as conn:
        for name in ATTACHED:
            table = metadata.tables[name]
            if name == "handoff_notes":
                query = (
                    sa.select(sa.func.count())
                    .select_from(table.join(handoffs, handoffs.c.id == table.c.handoff_id))
                    .where(handoffs.c.conversation_id == conversation)
                )
            else:
                query = sa.select(sa.func.count()).where(table.c.conversation_id == conversation)
            found[name] = int((await conn.execute(query)).scalar() or 0)
    return found


async def test_purge_deletes_what_is_past_retention(tmp_path: Path, database_url: str) -> None:
    settings = Settings(_env_file=None, var_dir=tmp_path, database_url=database_url, retention_days=30)  # type: ignore[call-arg]
    db = Database(settings.sqlalchemy_url)
    await db.start()
    try:
        repo = ConversationRepository(db)
        marker = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(16))
        n = "+336" + str(secrets.randbelow(10**6)).zfill(6)  # numbers of this test: n + "1", n + "2", n + "3"
        old, recent = await repo.create("web"), await repo.create("web")
        for conv in (old, recent):
            await repo.add_inbound(conv.id, "bonjour, mon numéro 06 12 34 56 78", None)
            await repo.add_outbound(conv.id, "bot", [OutboundMessage(text="Bonjour")])
        now = datetime.now(timezone.utc)
        long_ago = now - timedelta(days=40)
        await attach_everything(db, old.id, n + "1", long_ago)
        await attach_everything(db, recent.id, n + "2", now)
        async with db.connect() as conn:
            await conn.execute(
                conversations.update().where(conversations.c.id == old.id).values(updated_at=long_ago)
            )
            await conn.execute(
                sms_recipients.insert().values(
                    number=n + "3", opted_out=True, pending_text="x", updated_at=long_ago
                )
            )
            for event_id, when in (("old", long_ago), ("last-week", now - timedelta(days=8)), ("today", now)):
                await conn.execute(
                    channel_events.insert().values(channel="sms", event_id=marker + event_id, created_at=when)
                )
        feedback_repo = FeedbackRepository(db)
        consent = {"description": marker, "contact_consent": True, "contact": "a@b.fr"}
        await feedback_repo.add(old.id, "web", consent)
        await feedback_repo.add(recent.id, "web", consent)
        async with db.connect() as conn:
            await conn.execute(
                feedback.update().where(feedback.c.conversation_id == old.id).values(created_at=long_ago)
            )
        make_tracker_db(
            tmp_path / "rasa_tracker.db",
            [(old.id, long_ago.timestamp()), (recent.id, now.timestamp()), ("orphan", long_ago.timestamp())],
        )

        report = await purge(settings, db, now)

        assert (report.conversations, report.feedback_contacts, report.rasa_trackers) == (1, 1, 2)
        assert report.sms_numbers >= 1 and report.channel_events >= 2
        assert await repo.get(old.id) is None and await repo.get(recent.id) is not None
        assert await rows_of(db, old.id) == dict.fromkeys(ATTACHED, 0)
        assert await rows_of(db, recent.id) == {**dict.fromkeys(ATTACHED, 1), "messages": 2}
        async with db.connect() as conn:  # the PostgreSQL database is shared with other tests: look at ours
            left = {
                r[0]
                for r in await conn.execute(
                    sa.select(messages.c.conversation_id).where(
                        messages.c.conversation_id.in_([old.id, recent.id])
                    )
                )
            }
            contacts = [
                r[0]
                for r in await conn.execute(
                    sa.select(feedback.c.contact)
                    .where(feedback.c.description == marker)
                    .order_by(feedback.c.id)
                )
            ]
            numbers = dict(
                (r[0], (r[1], r[2]))
                for r in await conn.execute(
                    sa.select(
                        sms_recipients.c.number, sms_recipients.c.opted_out, sms_recipients.c.pending_text
                    )
                )
            )
            events = {
                r[0]
                for r in await conn.execute(
                    sa.select(channel_events.c.event_id).where(channel_events.c.event_id.like(marker + "%"))
                )
            }
        assert left == {recent.id}
        assert contacts == [None, "a@b.fr"]  # the old report stays, anonymous, without its contact
        # a number that sent STOP stays opted out (without text); an old one is forgotten
        assert numbers == {n + "2": (False, "suite"), n + "3": (True, None)}
        assert events == {marker + "today"}
        assert tracker_senders(tmp_path / "rasa_tracker.db") == {recent.id}
    finally:
        await db.stop()


async def test_erase_removes_everything_of_one_conversation(tmp_path: Path, database_url: str) -> None:
    settings = Settings(_env_file=None, var_dir=tmp_path, database_url=database_url)  # type: ignore[call-arg]
    db = Database(settings.sqlalchemy_url)
    await db.start()
    try:
        repo = ConversationRepository(db)
        n = "+337" + str(secrets.randbelow(10**6)).zfill(6)
        person, other = await repo.create("sms", n + "1"), await repo.create("web")
        now = datetime.now(timezone.utc)
        for conv in (person, other):
            await repo.add_inbound(conv.id, "bonjour", None)
        await attach_everything(db, person.id, n + "1", now)
        await attach_everything(db, other.id, n + "2", now)
        marker = "trop compliqué " + "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(16))
        await FeedbackRepository(db).add(person.id, "sms", {"description": marker})
        make_tracker_db(
            tmp_path / "rasa_tracker.db", [(person.id, now.timestamp()), (other.id, now.timestamp())]
        )

        assert await erase_conversation(settings, db, person.id) is True

        assert await repo.get(person.id) is None
        assert await rows_of(db, person.id) == dict.fromkeys(ATTACHED, 0)
        assert await rows_of(db, other.id) == dict.fromkeys(ATTACHED, 1)
        async with db.connect() as conn:
            numbers = {
                r[0]
                for r in await conn.execute(
                    sa.select(sms_recipients.c.number).where(sms_recipients.c.number.like(n + "%"))
                )
            }
            reports = [
                tuple(r)
                for r in await conn.execute(
                    sa.select(feedback.c.conversation_id, feedback.c.description).where(
                        feedback.c.description == marker
                    )
                )
            ]
        assert numbers == {n + "2"}
        assert reports == []  # the conversation's reports are erased with it (issue #27)
        assert tracker_senders(tmp_path / "rasa_tracker.db") == {other.id}
        assert await erase_conversation(settings, db, person.id) is False
    finally:
        await db.stop()
