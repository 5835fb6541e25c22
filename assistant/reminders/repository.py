"""Reminders to send, their claims and the person's answers (consent: `consents.py`).

Every time is passed in (the service's clock), in UTC. A reminder is sent by the gateway instance
that moves it from `scheduled` to `sending` with its own claim token: one conditional UPDATE per
conversation and kind, so that two instances never both send it and the reminders of one day go
out together. Consent is checked in that same statement.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from assistant.storage import Database
from assistant.storage.tables import messages, reminder_consents, reminders

GRANTED = "granted"


def aware(value: datetime) -> datetime:
    """SQLite gives back naive datetimes: every stored time is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class ReminderRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- sending -----------------------------------------------------------------------------

    async def due_groups(self, now: datetime, lease: timedelta, limit: int = 50) -> list[tuple[str, str]]:
        """(conversation, kind) with reminders to send now, oldest first."""
        query = (
            sa.select(reminders.c.conversation_id, reminders.c.kind, sa.func.min(reminders.c.send_at))
            .where(self._claimable(now, lease))
            .group_by(reminders.c.conversation_id, reminders.c.kind)
            .order_by(sa.func.min(reminders.c.send_at))
            .limit(limit)
        )
        async with self.db.connect() as conn:
            return [(str(c), str(k)) for c, k, _ in (await conn.execute(query)).all()]

    @staticmethod
    def _claimable(now: datetime, lease: timedelta) -> Any:
        # A claim older than the lease was lost with its instance (sent at least once, then).
        return sa.or_(
            sa.and_(reminders.c.status == "scheduled", reminders.c.send_at <= now),
            sa.and_(reminders.c.status == "sending", reminders.c.claimed_at < now - lease),
        )

    async def claim(
        self, conversation_id: str, kind: str, token: str, now: datetime, lease: timedelta
    ) -> list[dict[str, Any]]:
        """Take the group's due reminders for this instance; [] when another took them."""
        consented = (
            sa.select(reminder_consents.c.conversation_id)
            .where(
                reminder_consents.c.conversation_id == conversation_id,
                reminder_consents.c.status == GRANTED,
            )
            .exists()
        )
        async with self.db.connect() as conn:
            await conn.execute(
                reminders.update()
                .where(
                    reminders.c.conversation_id == conversation_id,
                    reminders.c.kind == kind,
                    self._claimable(now, lease),
                    consented,
                )
                .values(status="sending", claim=token, claimed_at=now)
            )
            rows = await conn.execute(
                reminders.select().where(reminders.c.claim == token).order_by(reminders.c.due, reminders.c.id)
            )
            return [dict(r) for r in rows.mappings()]

    async def still_claimed(self, token: str) -> bool:
        query = sa.select(reminders.c.id).where(reminders.c.claim == token, reminders.c.status == "sending")
        async with self.db.connect() as conn:
            return (await conn.execute(query)).first() is not None

    async def sent(self, token: str, now: datetime) -> list[int]:
        async with self.db.connect() as conn:
            ids = [
                int(i)
                for (i,) in await conn.execute(
                    sa.select(reminders.c.id).where(reminders.c.claim == token).order_by(reminders.c.id)
                )
            ]
            if ids:
                await conn.execute(
                    reminders.update()
                    .where(reminders.c.claim == token, reminders.c.status == "sending")
                    .values(status="sent", sent_at=now, batch=ids[0], claim=None)
                )
        return ids

    async def failed(self, token: str, retry_at: datetime, max_attempts: int) -> None:
        """The provider failed: try again at `retry_at`, or give up after `max_attempts`."""
        async with self.db.connect() as conn:
            await conn.execute(
                reminders.update()
                .where(reminders.c.claim == token, reminders.c.status == "sending")
                .values(
                    attempts=reminders.c.attempts + 1,
                    claim=None,
                    send_at=retry_at,
                    status=sa.case((reminders.c.attempts + 1 >= max_attempts, "failed"), else_="scheduled"),
                )
            )

    async def postpone(self, token: str, at: datetime) -> None:
        async with self.db.connect() as conn:
            await conn.execute(
                reminders.update()
                .where(reminders.c.claim == token, reminders.c.status == "sending")
                .values(status="scheduled", claim=None, send_at=at)
            )

    async def forget_messages(self, ids: list[int]) -> None:
        """A reminder the provider did not take is not kept in the transcript (it is tried again)."""
        if ids:
            async with self.db.connect() as conn:
                await conn.execute(messages.delete().where(messages.c.id.in_(ids)))

    async def cancel(self, token: str) -> None:
        async with self.db.connect() as conn:
            await conn.execute(
                reminders.update().where(reminders.c.claim == token).values(status="cancelled", claim=None)
            )

    # -- answers -----------------------------------------------------------------------------

    async def last_sent(self, channel: str, address: str, since: datetime) -> list[dict[str, Any]]:
        """The last message of reminders sent to this address (its rows), if sent after `since`."""
        async with self.db.connect() as conn:
            batch = (
                await conn.execute(
                    sa.select(reminders.c.batch)
                    .where(
                        reminders.c.channel == channel,
                        reminders.c.address == address,
                        reminders.c.status == "sent",
                        reminders.c.sent_at >= since,
                    )
                    .order_by(reminders.c.sent_at.desc(), reminders.c.id.desc())
                    .limit(1)
                )
            ).scalar()
            if batch is None:
                return []
            rows = await conn.execute(
                reminders.select().where(reminders.c.batch == batch).order_by(reminders.c.id)
            )
            return [dict(r) for r in rows.mappings()]

    async def batch(self, batch: int) -> list[dict[str, Any]]:
        async with self.db.connect() as conn:
            rows = await conn.execute(
                reminders.select().where(reminders.c.batch == batch).order_by(reminders.c.id)
            )
            return [dict(r) for r in rows.mappings()]

    async def answer(self, batch: int, answer: str, now: datetime) -> list[dict[str, Any]]:
        """The person's answer for a message's démarches; "done" cancels what is left for them.
        Returns the rows answered now ([] when they were answered before)."""
        async with self.db.connect() as conn:
            rows = [
                dict(r)
                for r in (
                    await conn.execute(
                        reminders.select().where(reminders.c.batch == batch, reminders.c.answer.is_(None))
                    )
                ).mappings()
            ]
            if not rows:
                return []
            await conn.execute(
                reminders.update()
                .where(reminders.c.batch == batch, reminders.c.answer.is_(None))
                .values(answer=answer, answered_at=now)
            )
            if answer == "done":
                await conn.execute(
                    reminders.update()
                    .where(
                        reminders.c.conversation_id == rows[0]["conversation_id"],
                        reminders.c.fiche_id.in_([r["fiche_id"] for r in rows]),
                        reminders.c.status == "scheduled",
                    )
                    .values(status="cancelled")
                )
        return rows

    async def of_conversation(self, conversation_id: str) -> list[dict[str, Any]]:
        query = (
            reminders.select()
            .where(reminders.c.conversation_id == conversation_id, reminders.c.status != "cancelled")
            .order_by(reminders.c.send_at, reminders.c.id)
        )
        async with self.db.connect() as conn:
            return [dict(r) for r in (await conn.execute(query)).mappings()]

    async def quiet_since(self, conversation_id: str, since: datetime, current_id: int) -> bool:
        """True when the person wrote nothing in this conversation since `since` but this message."""
        query = sa.select(sa.func.count()).where(
            messages.c.conversation_id == conversation_id,
            messages.c.role == "user",
            messages.c.created_at > since,
            messages.c.id != current_id,
        )
        async with self.db.connect() as conn:
            return not (await conn.execute(query)).scalar()
