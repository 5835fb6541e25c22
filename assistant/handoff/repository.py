"""SQL access for handoffs and their notes. Claims are atomic conditional updates."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa

from assistant.conversations.repository import utcnow
from assistant.storage import Database
from assistant.storage.tables import agents, conversations, handoff_notes, handoffs


@dataclass(frozen=True)
class Handoff:
    id: str
    conversation_id: str
    status: str
    reason: str
    priority: int
    packet: dict[str, Any]
    agent_id: Optional[int]
    agent_name: Optional[str]
    outcome: Optional[str]
    created_at: datetime
    claimed_at: Optional[datetime]
    closed_at: Optional[datetime]

    def to_dict(self) -> dict[str, Any]:
        def iso(value: Optional[datetime]) -> Optional[str]:
            return value.isoformat() if value else None

        return {
            "id": self.id,
            "conversation_id": self.conversation_id,
            "status": self.status,
            "reason": self.reason,
            "priority": self.priority,
            "agent_id": self.agent_id,
            "agent_name": self.agent_name,
            "outcome": self.outcome,
            "created_at": iso(self.created_at),
            "claimed_at": iso(self.claimed_at),
            "closed_at": iso(self.closed_at),
            "channel": self.packet.get("channel"),
            "summary": self.packet.get("summary"),
            "situations": self.packet.get("situations") or [],
        }


def _utc(value: Optional[datetime]) -> Optional[datetime]:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)


def _handoff(row: Any) -> Handoff:
    return Handoff(
        id=row["id"],
        conversation_id=row["conversation_id"],
        status=row["status"],
        reason=row["reason"],
        priority=row["priority"],
        packet=row["packet"],
        agent_id=row["agent_id"],
        agent_name=row["display_name"],
        outcome=row["outcome"],
        created_at=_utc(row["created_at"]) or utcnow(),
        claimed_at=_utc(row["claimed_at"]),
        closed_at=_utc(row["closed_at"]),
    )


_SELECT = sa.select(handoffs, agents.c.display_name).select_from(
    handoffs.outerjoin(agents, agents.c.id == handoffs.c.agent_id)
)


class HandoffRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self, conversation_id: str, reason: str, priority: int, packet: dict[str, Any]
    ) -> Handoff:
        """Open a handoff and put the conversation in handoff mode, in one transaction."""
        handoff_id = "H" + secrets.token_hex(8)
        async with self.db.connect() as conn:
            await conn.execute(
                handoffs.insert().values(
                    id=handoff_id,
                    conversation_id=conversation_id,
                    status="waiting",
                    reason=reason,
                    priority=priority,
                    packet=packet,
                    created_at=utcnow(),
                )
            )
            await conn.execute(
                conversations.update().where(conversations.c.id == conversation_id).values(mode="handoff")
            )
        found = await self.get(handoff_id)
        assert found is not None
        return found

    async def get(self, handoff_id: str) -> Optional[Handoff]:
        async with self.db.connect() as conn:
            row = (await conn.execute(_SELECT.where(handoffs.c.id == handoff_id))).mappings().first()
        return _handoff(row) if row else None

    async def open_for(self, conversation_id: str) -> Optional[Handoff]:
        """The conversation's handoff that is not closed, if any."""
        query = _SELECT.where(handoffs.c.conversation_id == conversation_id, handoffs.c.status != "closed")
        async with self.db.connect() as conn:
            row = (await conn.execute(query.order_by(handoffs.c.created_at.desc()))).mappings().first()
        return _handoff(row) if row else None

    async def by_status(self, status: str, limit: int = 200) -> list[Handoff]:
        """Waiting ones by priority then waiting time; the others most recent first."""
        order = (
            (handoffs.c.priority.desc(), handoffs.c.created_at)
            if status == "waiting"
            else (handoffs.c.created_at.desc(),)
        )
        async with self.db.connect() as conn:
            rows = (
                (await conn.execute(_SELECT.where(handoffs.c.status == status).order_by(*order).limit(limit)))
                .mappings()
                .all()
            )
        return [_handoff(r) for r in rows]

    async def update_packet(self, handoff_id: str, changes: dict[str, Any]) -> None:
        """Merge `changes` into the stored packet (JSON)."""
        async with self.db.connect() as conn:
            row = (
                await conn.execute(sa.select(handoffs.c.packet).where(handoffs.c.id == handoff_id))
            ).first()
            if row is not None:
                packet = {**dict(row[0]), **changes}
                await conn.execute(handoffs.update().where(handoffs.c.id == handoff_id).values(packet=packet))

    async def count(self, status: str) -> int:
        async with self.db.connect() as conn:
            result = await conn.execute(sa.select(sa.func.count()).where(handoffs.c.status == status))
        return int(result.scalar() or 0)

    async def position(self, handoff: Handoff) -> int:
        """1 for the next one to be taken."""
        ahead = sa.and_(
            handoffs.c.status == "waiting",
            sa.or_(
                handoffs.c.priority > handoff.priority,
                sa.and_(handoffs.c.priority == handoff.priority, handoffs.c.created_at < handoff.created_at),
            ),
        )
        async with self.db.connect() as conn:
            count = (await conn.execute(sa.select(sa.func.count()).where(ahead))).scalar() or 0
        return int(count) + 1

    async def claim(self, handoff_id: str, agent_id: int) -> bool:
        """Atomic: only one agent can move a waiting handoff to active."""
        async with self.db.connect() as conn:
            result = await conn.execute(
                handoffs.update()
                .where(handoffs.c.id == handoff_id, handoffs.c.status == "waiting")
                .values(status="active", agent_id=agent_id, claimed_at=utcnow())
            )
        return bool(result.rowcount == 1)

    async def transfer(self, handoff_id: str, from_agent: int, to_agent: int) -> bool:
        async with self.db.connect() as conn:
            result = await conn.execute(
                handoffs.update()
                .where(
                    handoffs.c.id == handoff_id,
                    handoffs.c.status == "active",
                    handoffs.c.agent_id == from_agent,
                )
                .values(agent_id=to_agent)
            )
        return bool(result.rowcount == 1)

    async def close(self, handoff_id: str, agent_id: int, outcome: str) -> bool:
        """Close the handoff; the conversation's next messages go to the bot again."""
        owned = sa.and_(
            handoffs.c.id == handoff_id, handoffs.c.status == "active", handoffs.c.agent_id == agent_id
        )
        async with self.db.connect() as conn:
            conversation_id = (
                await conn.execute(sa.select(handoffs.c.conversation_id).where(owned))
            ).scalar()
            result = await conn.execute(
                handoffs.update().where(owned).values(status="closed", outcome=outcome, closed_at=utcnow())
            )
            if conversation_id is None or result.rowcount != 1:
                return False
            await conn.execute(
                conversations.update().where(conversations.c.id == conversation_id).values(mode="bot")
            )
        return True

    async def add_note(self, handoff_id: str, agent_id: int, text: str) -> dict[str, Any]:
        now = utcnow()
        async with self.db.connect() as conn:
            result = await conn.execute(
                handoff_notes.insert().values(
                    handoff_id=handoff_id, agent_id=agent_id, text=text, created_at=now
                )
            )
        return {
            "id": result.inserted_primary_key[0],
            "text": text,
            "agent_id": agent_id,
            "created_at": now.isoformat(),
        }

    async def notes(self, handoff_id: str) -> list[dict[str, Any]]:
        query = (
            sa.select(handoff_notes, agents.c.display_name)
            .select_from(handoff_notes.outerjoin(agents, agents.c.id == handoff_notes.c.agent_id))
            .where(handoff_notes.c.handoff_id == handoff_id)
            .order_by(handoff_notes.c.id)
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [
            {
                "id": r["id"],
                "text": r["text"],
                "agent_name": r["display_name"],
                "created_at": (_utc(r["created_at"]) or utcnow()).isoformat(),
            }
            for r in rows
        ]
