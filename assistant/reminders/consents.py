"""The person's consent to reminders, one row per conversation, and the reminders it allows.

Nothing is scheduled without a `granted` row; withdrawing (STOP, "plus de rappels", erasure)
cancels, in the same transaction, every reminder not sent yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from assistant.reminders.schedule import Planned
from assistant.storage import Database
from assistant.storage.tables import reminder_consents, reminders

GRANTED = "granted"
PENDING_CONSENT = ("offered", "phone_asked", "confirm_asked")


class ConsentRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def consent(self, conversation_id: str) -> Optional[dict[str, Any]]:
        query = reminder_consents.select().where(reminder_consents.c.conversation_id == conversation_id)
        async with self.db.connect() as conn:
            row = (await conn.execute(query)).mappings().first()
        return dict(row) if row else None

    async def offer(
        self, conversation_id: str, channel: str, address: Optional[str], plan: dict[str, Any], now: datetime
    ) -> bool:
        """Record the offer; False when one was made before in this conversation (never twice)."""
        try:
            async with self.db.connect() as conn:
                await conn.execute(
                    reminder_consents.insert().values(
                        conversation_id=conversation_id,
                        channel=channel,
                        address=address,
                        status="offered",
                        plan=plan,
                        offered_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True

    async def move(self, conversation_id: str, expected: Sequence[str], **values: Any) -> bool:
        """Move the consent on from one of the `expected` statuses; False when it is not there."""
        async with self.db.connect() as conn:
            result = await conn.execute(
                reminder_consents.update()
                .where(
                    reminder_consents.c.conversation_id == conversation_id,
                    reminder_consents.c.status.in_(tuple(expected)),
                )
                .values(**values)
            )
        return bool(result.rowcount)

    async def grant(
        self, conversation_id: str, address: str, planned: Sequence[Planned], channel: str, now: datetime
    ) -> bool:
        """Consent and its reminders in one transaction; False when consent was not being asked."""
        async with self.db.connect() as conn:
            moved = await conn.execute(
                reminder_consents.update()
                .where(
                    reminder_consents.c.conversation_id == conversation_id,
                    reminder_consents.c.status.in_(PENDING_CONSENT),
                )
                .values(status=GRANTED, address=address, channel=channel, granted_at=now)
            )
            if not moved.rowcount:
                return False
            await self._replace(conn, conversation_id, channel, address, planned)
        return True

    async def reschedule(
        self, conversation_id: str, planned: Sequence[Planned], plan: dict[str, Any]
    ) -> bool:
        """A new plan while consent holds: its reminders replace those not sent yet."""
        async with self.db.connect() as conn:
            row = (
                await conn.execute(
                    sa.select(reminder_consents.c.channel, reminder_consents.c.address).where(
                        reminder_consents.c.conversation_id == conversation_id,
                        reminder_consents.c.status == GRANTED,
                    )
                )
            ).first()
            if row is None or row.address is None:
                return False
            await conn.execute(
                reminder_consents.update()
                .where(reminder_consents.c.conversation_id == conversation_id)
                .values(plan=plan)
            )
            await self._replace(conn, conversation_id, row.channel, row.address, planned)
        return True

    async def _replace(
        self, conn: Any, conversation_id: str, channel: str, address: str, planned: Sequence[Planned]
    ) -> None:
        done = {
            fiche
            for (fiche,) in await conn.execute(
                sa.select(reminders.c.fiche_id).where(
                    reminders.c.conversation_id == conversation_id, reminders.c.answer == "done"
                )
            )
        }
        await conn.execute(
            reminders.update()
            .where(reminders.c.conversation_id == conversation_id, reminders.c.status == "scheduled")
            .values(status="cancelled")
        )
        rows = [
            {
                "conversation_id": conversation_id,
                "kind": p.kind,
                "fiche_id": p.demarche.fiche_id,
                "title": p.demarche.title,
                "url": p.demarche.url,
                "due": p.demarche.due,
                "send_at": p.send_at,
                "channel": channel,
                "address": address,
                "status": "scheduled",
            }
            for p in planned
            if p.demarche.fiche_id not in done
        ]
        if rows:
            await conn.execute(reminders.insert(), rows)

    async def withdraw(self, conversation_id: str, now: datetime) -> int:
        """Consent withdrawn and every reminder not sent yet cancelled; the number cancelled."""
        async with self.db.connect() as conn:
            await conn.execute(
                reminder_consents.update()
                .where(reminder_consents.c.conversation_id == conversation_id)
                .values(status="withdrawn", withdrawn_at=now)
            )
            result = await conn.execute(
                reminders.update()
                .where(
                    reminders.c.conversation_id == conversation_id,
                    reminders.c.status.in_(("scheduled", "sending")),
                )
                .values(status="cancelled")
            )
        return int(result.rowcount or 0)

    async def withdraw_address(self, channel: str, address: str, now: datetime) -> int:
        """STOP from a number or a chat: every consent given for it, whatever the conversation."""
        async with self.db.connect() as conn:
            await conn.execute(
                reminder_consents.update()
                .where(
                    reminder_consents.c.channel == channel,
                    reminder_consents.c.address == address,
                    reminder_consents.c.status == GRANTED,
                )
                .values(status="withdrawn", withdrawn_at=now)
            )
            result = await conn.execute(
                reminders.update()
                .where(
                    reminders.c.channel == channel,
                    reminders.c.address == address,
                    reminders.c.status.in_(("scheduled", "sending")),
                )
                .values(status="cancelled")
            )
        return int(result.rowcount or 0)
