"""Review items: stored masked, listed, labelled or discarded by an agent."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from assistant.privacy.masking import mask
from assistant.storage import Database
from assistant.storage.tables import agents, review_items

LABEL_PATTERNS = {
    "situation": re.compile(r"^F\d{1,6}$"),
    "fiche": re.compile(r"^[FNR]\d{1,6}$"),
    "intent": re.compile(r"^[a-z][a-z0-9_]{1,63}$"),
}
MAX_TEXT = 2000


class InvalidLabel(ValueError):
    """A label that is not a situation, fiche or intent identifier."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _iso(value: Optional[datetime]) -> Optional[str]:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat()


def item(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "conversation_id": row["conversation_id"],
        "source": row["source"],
        "channel": row["channel"],
        "text": row["text"],
        "masked": row["masked"],
        "status": row["status"],
        "label_kind": row["label_kind"],
        "label": row["label"],
        "reviewed_by": row["reviewer"],
        "created_at": _iso(row["created_at"]),
        "reviewed_at": _iso(row["reviewed_at"]),
    }


@dataclass(frozen=True)
class ReviewFilter:
    status: Optional[str] = "open"
    source: Optional[str] = None


class ReviewRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def enqueue(
        self, conversation_id: str, channel: str, message_id: Optional[int], source: str, text: str
    ) -> bool:
        """Add a message (masked) to the queue; False when it is there already for this reason."""
        masked_text, masked = mask(text[:MAX_TEXT])
        try:
            async with self.db.connect() as conn:
                if message_id is not None:
                    exists = await conn.execute(
                        sa.select(review_items.c.id).where(
                            review_items.c.message_id == message_id, review_items.c.source == source
                        )
                    )
                    if exists.first() is not None:
                        return False
                await conn.execute(
                    review_items.insert().values(
                        conversation_id=conversation_id,
                        message_id=message_id,
                        source=source,
                        channel=channel,
                        text=masked_text,
                        masked=masked,
                        status="open",
                        created_at=utcnow(),
                    )
                )
        except IntegrityError:  # the same message, at the same time, on another instance
            return False
        return True

    def _select(self) -> sa.sql.Select:
        return sa.select(review_items, agents.c.username.label("reviewer")).select_from(
            review_items.outerjoin(agents, agents.c.id == review_items.c.reviewed_by)
        )

    async def search(
        self, where: ReviewFilter, offset: int = 0, limit: int = 50
    ) -> tuple[int, list[dict[str, Any]]]:
        clauses: list[Any] = []
        if where.status:
            clauses.append(review_items.c.status == where.status)
        if where.source:
            clauses.append(review_items.c.source == where.source)
        async with self.db.connect() as conn:
            total = (
                await conn.execute(sa.select(sa.func.count()).select_from(review_items).where(*clauses))
            ).scalar()
            rows = (
                (
                    await conn.execute(
                        self._select()
                        .where(*clauses)
                        .order_by(review_items.c.id.desc())
                        .offset(offset)
                        .limit(limit)
                    )
                )
                .mappings()
                .all()
            )
        return int(total or 0), [item(r) for r in rows]

    async def get(self, item_id: int) -> Optional[dict[str, Any]]:
        async with self.db.connect() as conn:
            row = (await conn.execute(self._select().where(review_items.c.id == item_id))).mappings().first()
        return item(row) if row else None

    async def label(self, item_id: int, kind: str, label: str, agent_id: int) -> Optional[dict[str, Any]]:
        pattern = LABEL_PATTERNS.get(kind)
        if pattern is None or not pattern.match(label):
            raise InvalidLabel(kind)
        return await self._review(item_id, agent_id, status="labelled", label_kind=kind, label=label)

    async def discard(self, item_id: int, agent_id: int) -> Optional[dict[str, Any]]:
        return await self._review(item_id, agent_id, status="discarded", label_kind=None, label=None)

    async def _review(self, item_id: int, agent_id: int, **values: Any) -> Optional[dict[str, Any]]:
        async with self.db.connect() as conn:
            result = await conn.execute(
                review_items.update()
                .where(review_items.c.id == item_id)
                .values(reviewed_by=agent_id, reviewed_at=utcnow(), **values)
            )
        return await self.get(item_id) if result.rowcount else None

    async def labelled(self, limit: int = 100_000) -> list[dict[str, Any]]:
        async with self.db.connect() as conn:
            rows = (
                (
                    await conn.execute(
                        self._select()
                        .where(review_items.c.status == "labelled")
                        .order_by(review_items.c.id)
                        .limit(limit)
                    )
                )
                .mappings()
                .all()
            )
        return [item(r) for r in rows]
