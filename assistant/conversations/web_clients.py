"""Widget frames already received: a `client_id` is claimed before its message is stored, so a
frame re-sent after a reconnection is processed once, whichever gateway instance receives it."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from assistant.storage import Database
from assistant.storage.tables import messages, web_client_messages

STALE_CLAIM = timedelta(seconds=120)  # a claim with no stored message after this was lost
CLIENT_ID_SEARCH = 200


class WebClientMessages:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def is_stored(self, conversation_id: str, client_id: str) -> bool:
        """Whether a recent message of the person carries this client_id."""
        query = (
            sa.select(messages.c.custom)
            .where(messages.c.conversation_id == conversation_id, messages.c.role == "user")
            .order_by(messages.c.id.desc())
            .limit(CLIENT_ID_SEARCH)
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return any(isinstance(c, dict) and c.get("client_id") == client_id for (c,) in rows)

    async def claim(self, conversation_id: str, client_id: str) -> bool:
        """True once per (conversation, client_id): the caller then stores and answers the message.

        A claim whose message never got stored (its process died) is taken over after STALE_CLAIM.
        """
        now = datetime.now(timezone.utc)
        try:
            async with self.db.connect() as conn:
                await conn.execute(
                    web_client_messages.insert().values(
                        conversation_id=conversation_id, client_id=client_id, claimed_at=now
                    )
                )
            return True
        except IntegrityError:
            pass
        if await self.is_stored(conversation_id, client_id):
            return False
        table = web_client_messages.c
        async with self.db.connect() as conn:
            result = await conn.execute(
                web_client_messages.update()
                .where(
                    table.conversation_id == conversation_id,
                    table.client_id == client_id,
                    table.claimed_at < now - STALE_CLAIM,
                )
                .values(claimed_at=now)
            )
        return bool(result.rowcount == 1)

    async def release(self, conversation_id: str, client_id: str) -> None:
        """Forget a claim whose message could not be stored, so that the client may send it again."""
        table = web_client_messages.c
        with contextlib.suppress(Exception):
            async with self.db.connect() as conn:
                await conn.execute(
                    web_client_messages.delete().where(
                        table.conversation_id == conversation_id, table.client_id == client_id
                    )
                )
