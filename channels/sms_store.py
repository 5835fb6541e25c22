"""Per phone number: whether it sent STOP, and the rest of an answer waiting for "SUITE"."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy.exc import IntegrityError

from assistant.storage import Database
from assistant.storage.tables import sms_recipients


class SmsRecipients:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _get(self, number: str) -> Optional[dict[str, Any]]:
        query = sms_recipients.select().where(sms_recipients.c.number == number)
        async with self.db.connect() as conn:
            row = (await conn.execute(query)).mappings().first()
        return None if row is None else dict(row)

    async def _set(self, number: str, **values: Any) -> None:
        values["updated_at"] = datetime.now(timezone.utc)
        update = sms_recipients.update().where(sms_recipients.c.number == number).values(**values)
        async with self.db.connect() as conn:
            if (await conn.execute(update)).rowcount:
                return
        try:
            async with self.db.connect() as conn:
                await conn.execute(sms_recipients.insert().values(number=number, **values))
        except IntegrityError:  # another gateway instance inserted it in between
            async with self.db.connect() as conn:
                await conn.execute(update)

    async def opted_out(self, number: str) -> bool:
        row = await self._get(number)
        return bool(row and row["opted_out"])

    async def set_opted_out(self, number: str, value: bool) -> None:
        await self._set(number, opted_out=value, pending_text=None)

    async def pending(self, number: str) -> str:
        row = await self._get(number)
        return str(row["pending_text"] or "") if row else ""

    async def set_pending(self, number: str, text: str) -> None:
        await self._set(number, pending_text=text or None)
