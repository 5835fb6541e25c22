"""Link codes in SQL: only their SHA-256 is stored; single use, 15 minutes, one active per conversation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from assistant.linking.codes import code_hash, new_code
from assistant.storage import Database
from assistant.storage.tables import conversations, link_codes

CODE_TTL = timedelta(minutes=15)
MAX_ACTIVE_CODES = 1  # a new code revokes the previous one


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_at: datetime


class LinkCodeRepository:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def issue(self, conversation_id: str) -> IssuedCode:
        """A fresh code; older active codes beyond `MAX_ACTIVE_CODES - 1` are revoked (deleted)."""
        for _ in range(5):
            now = self.clock()
            code = new_code()
            expires_at = now + CODE_TTL
            try:
                async with self.db.connect() as conn:
                    await conn.execute(link_codes.delete().where(link_codes.c.expires_at < now - CODE_TTL))
                    active = (
                        await conn.execute(
                            sa.select(link_codes.c.code_hash)
                            .where(
                                link_codes.c.conversation_id == conversation_id,
                                link_codes.c.used_at.is_(None),
                                link_codes.c.expires_at > now,
                            )
                            .order_by(link_codes.c.created_at.desc())
                        )
                    ).all()
                    revoked = [h for (h,) in active[max(MAX_ACTIVE_CODES - 1, 0) :]]
                    if revoked:
                        await conn.execute(link_codes.delete().where(link_codes.c.code_hash.in_(revoked)))
                    await conn.execute(
                        link_codes.insert().values(
                            code_hash=code_hash(code),
                            conversation_id=conversation_id,
                            created_at=now,
                            expires_at=expires_at,
                        )
                    )
            except IntegrityError:  # the same hash already stored: draw again
                continue
            return IssuedCode(code, expires_at)
        raise RuntimeError("no free link code")

    async def redeem(self, code: str) -> tuple[str, Optional[str]]:
        """("ok", conversation id) once; ("expired" | "used" | "invalid", None) otherwise."""
        now = self.clock()
        digest = code_hash(code)
        async with self.db.connect() as conn:
            used = await conn.execute(
                link_codes.update()
                .where(
                    link_codes.c.code_hash == digest,
                    link_codes.c.used_at.is_(None),
                    link_codes.c.expires_at > now,
                )
                .values(used_at=now)
            )
            row = (
                (await conn.execute(link_codes.select().where(link_codes.c.code_hash == digest)))
                .mappings()
                .first()
            )
        if row is None:
            return "invalid", None
        if used.rowcount == 1:
            return "ok", str(row["conversation_id"])
        if row["used_at"] is not None:
            return "used", None
        return "expired", None

    async def move(self, conversation_id: str, channel: str, sender_ref: Optional[str]) -> None:
        """The conversation now belongs to (channel, sender_ref). Later conversations of that sender
        would hide it from `find_by_sender` (the latest wins): they are detached from the sender."""
        async with self.db.connect() as conn:
            row = (
                await conn.execute(
                    sa.select(conversations.c.created_at).where(conversations.c.id == conversation_id)
                )
            ).first()
            if row is None:
                return
            if sender_ref is not None:
                await conn.execute(
                    conversations.update()
                    .where(
                        conversations.c.channel == channel,
                        conversations.c.sender_ref == sender_ref,
                        conversations.c.id != conversation_id,
                        conversations.c.created_at >= row[0],
                    )
                    .values(sender_ref=None)
                )
            await conn.execute(
                conversations.update()
                .where(conversations.c.id == conversation_id)
                .values(channel=channel, sender_ref=sender_ref, updated_at=self.clock())
            )
