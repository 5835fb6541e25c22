"""One export per conversation, holding the latest plan shown; its token never changes."""

from __future__ import annotations

import secrets
from typing import Any, Optional

import sqlalchemy as sa

from assistant.conversations.repository import utcnow
from assistant.storage import Database
from assistant.storage.tables import plan_exports


class PlanExportRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(self, conversation_id: str, plan: dict[str, Any]) -> str:
        """Store the plan for this conversation and return its export token."""
        now = utcnow()
        async with self.db.connect() as conn:
            token = (
                await conn.execute(
                    sa.select(plan_exports.c.token).where(plan_exports.c.conversation_id == conversation_id)
                )
            ).scalar()
            if token is None:
                token = secrets.token_urlsafe(18)
                await conn.execute(
                    plan_exports.insert().values(
                        token=token, conversation_id=conversation_id, plan=plan, updated_at=now
                    )
                )
            else:
                await conn.execute(
                    plan_exports.update()
                    .where(plan_exports.c.token == token)
                    .values(plan=plan, updated_at=now)
                )
        return str(token)

    async def get(self, token: str) -> Optional[dict[str, Any]]:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(sa.select(plan_exports.c.plan).where(plan_exports.c.token == token))
            ).first()
        return dict(row[0]) if row else None
