"""The life situations each conversation was about, as the plans and handoff packets name them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from assistant.storage import Database
from assistant.storage.tables import conversation_situations

SITUATION_ID = re.compile(r"^F\d{1,6}$")


class SituationRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, conversation_id: str, situations: Iterable[str]) -> None:
        wanted = {s for s in situations if isinstance(s, str) and SITUATION_ID.match(s)}
        if not wanted:
            return
        known = set(await self.of(conversation_id))
        for situation in sorted(wanted - known):
            try:
                async with self.db.connect() as conn:
                    await conn.execute(
                        conversation_situations.insert().values(
                            conversation_id=conversation_id,
                            situation=situation,
                            created_at=datetime.now(timezone.utc),
                        )
                    )
            except IntegrityError:  # recorded meanwhile by another instance
                continue

    async def of(self, conversation_id: str) -> list[str]:
        query = sa.select(conversation_situations.c.situation).where(
            conversation_situations.c.conversation_id == conversation_id
        )
        async with self.db.connect() as conn:
            return [str(s) for (s,) in (await conn.execute(query)).all()]
