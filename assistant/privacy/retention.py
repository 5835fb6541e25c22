"""RGPD: delete what is older than the retention period, and erase one person's conversation."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from redis.asyncio import Redis

from assistant.config import Settings
from assistant.feedback.repository import FeedbackRepository
from assistant.storage import Database
from assistant.storage.tables import (
    channel_events,
    conversations,
    link_codes,
    reminder_consents,
    reminders,
    sms_recipients,
)

log = logging.getLogger(__name__)

# Webhook ids are kept this long for de-duplication (providers retry for hours), as in Redis.
DEDUP_WINDOW = timedelta(days=7)


@dataclass
class PurgeReport:
    conversations: int = 0
    feedback_contacts: int = 0
    rasa_trackers: int = 0
    sms_numbers: int = 0
    channel_events: int = 0


class RasaTrackers:
    """Rasa's tracker store, reached directly: SQLite file by default, Redis with REDIS_URL."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _sqlite(self) -> sa.engine.Engine:
        return sa.create_engine(f"sqlite:///{self.settings.var_dir / 'rasa_tracker.db'}")

    async def delete(self, sender_ids: list[str]) -> int:
        if not sender_ids:
            return 0
        parts = self.settings.redis_parts()
        if parts is not None:
            client: Redis[bytes] = Redis.from_url(self.settings.redis_url)
            prefix = "".join(ch for ch in self.settings.redis_key_prefix if ch.isalnum())
            try:
                return int(await client.delete(*(f"{prefix}:tracker:{s}" for s in sender_ids)))
            finally:
                await client.close()
        if not (self.settings.var_dir / "rasa_tracker.db").exists():
            return 0
        engine = self._sqlite()
        try:
            with engine.begin() as conn:
                if not sa.inspect(conn).has_table("events"):
                    return 0
                events = sa.table("events", sa.column("sender_id"))
                chosen = events.c.sender_id.in_(sender_ids)
                found = conn.execute(
                    sa.select(sa.func.count(sa.distinct(events.c.sender_id))).where(chosen)
                ).scalar()
                conn.execute(sa.delete(events).where(chosen))
                return int(found or 0)
        finally:
            engine.dispose()

    async def older_than(self, cutoff: datetime) -> list[str]:
        """Trackers whose last event is older than `cutoff` (SQLite; Redis expires them itself)."""
        if (
            self.settings.redis_parts() is not None
            or not (self.settings.var_dir / "rasa_tracker.db").exists()
        ):
            return []
        engine = self._sqlite()
        try:
            with engine.begin() as conn:
                if not sa.inspect(conn).has_table("events"):
                    return []
                events = sa.table("events", sa.column("sender_id"), sa.column("timestamp"))
                query = (
                    sa.select(events.c.sender_id)
                    .group_by(events.c.sender_id)
                    .having(sa.func.max(events.c.timestamp) < cutoff.timestamp())
                )
                return [row[0] for row in conn.execute(query)]
        finally:
            engine.dispose()


async def _forget_numbers(conn: sa.ext.asyncio.AsyncConnection, where: sa.sql.ColumnElement[bool]) -> int:
    """Phone numbers: forgotten, except those that sent STOP (kept, without text, so that nothing is sent)."""
    table = sms_recipients.c
    deleted = await conn.execute(sms_recipients.delete().where(where, table.opted_out.is_(False)))
    await conn.execute(sms_recipients.update().where(where).values(pending_text=None))
    return int(deleted.rowcount or 0)


async def purge(settings: Settings, database: Database, now: datetime | None = None) -> PurgeReport:
    """Delete what is past retention: conversations with everything attached to them (messages, plan
    exports, handoffs and their notes, link codes, widget message ids), Rasa trackers, feedback
    contacts, phone numbers of the SMS channel; webhook ids once past the de-duplication window."""
    moment = now or datetime.now(timezone.utc)
    cutoff = moment - timedelta(days=settings.retention_days)
    report = PurgeReport()
    async with database.connect() as conn:
        old = [
            r[0]
            for r in await conn.execute(
                sa.select(conversations.c.id).where(conversations.c.updated_at < cutoff)
            )
        ]
        if old:
            await conn.execute(conversations.delete().where(conversations.c.id.in_(old)))
        await conn.execute(link_codes.delete().where(link_codes.c.expires_at < cutoff))
        report.sms_numbers = await _forget_numbers(conn, sms_recipients.c.updated_at < cutoff)
        events = await conn.execute(
            channel_events.delete().where(channel_events.c.created_at < moment - DEDUP_WINDOW)
        )
        report.channel_events = int(events.rowcount or 0)
    report.conversations = len(old)
    report.feedback_contacts = await FeedbackRepository(database).forget_contacts(cutoff)
    trackers = RasaTrackers(settings)
    report.rasa_trackers = await trackers.delete(sorted(set(old) | set(await trackers.older_than(cutoff))))
    log.info("purge done", extra={"status": f"{report}"})
    return report


async def _forget_reminders(conn: sa.ext.asyncio.AsyncConnection, channel: str, address: str) -> None:
    await conn.execute(
        reminders.delete().where(reminders.c.channel == channel, reminders.c.address == address)
    )
    await conn.execute(
        reminder_consents.delete().where(
            reminder_consents.c.channel == channel, reminder_consents.c.address == address
        )
    )


async def erase_conversation(settings: Settings, database: Database, conversation_id: str) -> bool:
    """Erase one conversation everywhere (records, handoffs, notes, plans, its feedback reports, the
    SMS number's record, Rasa tracker)."""
    await FeedbackRepository(database).delete_for(conversation_id)  # before the link is gone
    async with database.connect() as conn:
        row = (
            await conn.execute(
                sa.select(conversations.c.channel, conversations.c.sender_ref).where(
                    conversations.c.id == conversation_id
                )
            )
        ).first()
        result = await conn.execute(conversations.delete().where(conversations.c.id == conversation_id))
        # Its reminders go with it (foreign keys); so do those sent to its chat or number from
        # another conversation (a number given on the web), and the consent given for them.
        if row is not None and row.sender_ref:
            await _forget_reminders(conn, row.channel, row.sender_ref)
        if row is not None and row.channel == "sms" and row.sender_ref:
            await _forget_numbers(conn, sms_recipients.c.number == row.sender_ref)
    await RasaTrackers(settings).delete([conversation_id])
    return bool(result.rowcount)
