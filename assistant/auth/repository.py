"""Agents and their tokens. Tokens are random; only their SHA-256 is stored.

A token is shown to administrators by `token_id`, the first 16 hex digits of that hash: enough to
name it, useless to log in with."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from assistant.auth.passwords import PasswordWorkers, PasswordWorkersBusy
from assistant.conversations.repository import utcnow
from assistant.storage import Database
from assistant.storage.tables import agents, auth_tokens

ROLES = ("agent", "admin")
TOKEN_ID_LENGTH = 16


class AgentExists(ValueError):
    pass


@dataclass(frozen=True)
class Agent:
    id: int
    username: str
    display_name: str
    role: str
    active: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
        }


@dataclass(frozen=True)
class Session:
    agent: Agent
    csrf: Optional[str]


@dataclass(frozen=True)
class TokenInfo:
    token_id: str
    kind: str  # "api" or "session"
    expires_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"token_id": self.token_id, "kind": self.kind, "expires_at": self.expires_at.isoformat()}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _agent(row: Any) -> Agent:
    return Agent(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        role=row["role"],
        active=bool(row["active"]),
    )


class AgentRepository:
    def __init__(self, db: Database, passwords: Optional[PasswordWorkers] = None) -> None:
        self.db = db
        self.passwords = passwords or PasswordWorkers()  # the gateway passes its bounded pool

    async def add(self, username: str, password: str, role: str, display_name: str = "") -> Agent:
        if role not in ROLES:
            raise ValueError(f"rôle inconnu : {role}")
        display_name = display_name or username
        values = {
            "username": username,
            "display_name": display_name,
            "password_hash": await self.passwords.hash(password),
            "role": role,
            "active": True,
            "created_at": utcnow(),
        }
        try:
            async with self.db.connect() as conn:
                result = await conn.execute(agents.insert().values(**values))
                (agent_id,) = result.inserted_primary_key
        except IntegrityError as exc:
            raise AgentExists(username) from exc
        return Agent(id=agent_id, username=username, display_name=display_name, role=role)

    async def _one(self, *where: Any) -> Optional[Agent]:
        async with self.db.connect() as conn:
            row = (await conn.execute(agents.select().where(*where))).mappings().first()
        return _agent(row) if row else None

    async def get(self, agent_id: int) -> Optional[Agent]:
        """An active agent."""
        return await self._one(agents.c.id == agent_id, agents.c.active.is_(True))

    async def find(self, username: str) -> Optional[Agent]:
        """An agent by username, active or not (administration)."""
        return await self._one(agents.c.username == username)

    async def all(self, include_inactive: bool = False) -> list[Agent]:
        query = agents.select().order_by(agents.c.username)
        if not include_inactive:
            query = query.where(agents.c.active.is_(True))
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [_agent(r) for r in rows]

    async def authenticate(self, username: str, password: str) -> Optional[Agent]:
        """The agent, when the password is theirs; verified in the password pool, never on the
        event loop (PasswordWorkersBusy when it is full, before anything is read)."""
        if self.passwords.full:
            raise PasswordWorkersBusy("password verification queue full")
        async with self.db.connect() as conn:
            row = (
                (
                    await conn.execute(
                        agents.select().where(agents.c.username == username, agents.c.active.is_(True))
                    )
                )
                .mappings()
                .first()
            )
        if not await self.passwords.verify(row["password_hash"] if row else None, password):
            return None
        return _agent(row) if row else None

    async def issue_token(self, agent: Agent, kind: str, lifetime: timedelta) -> tuple[str, Optional[str]]:
        """A new token (and, for console sessions, its CSRF token)."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24) if kind == "session" else None
        async with self.db.connect() as conn:
            await conn.execute(
                auth_tokens.insert().values(
                    token_hash=_digest(token),
                    agent_id=agent.id,
                    kind=kind,
                    csrf=csrf,
                    expires_at=utcnow() + lifetime,
                )
            )
        return token, csrf

    async def resolve(self, token: str, kind: str) -> Optional[Session]:
        query = (
            sa.select(agents, auth_tokens.c.csrf)
            .select_from(auth_tokens.join(agents, agents.c.id == auth_tokens.c.agent_id))
            .where(
                auth_tokens.c.token_hash == _digest(token),
                auth_tokens.c.kind == kind,
                auth_tokens.c.expires_at > utcnow(),
                agents.c.active.is_(True),
            )
        )
        async with self.db.connect() as conn:
            row = (await conn.execute(query)).mappings().first()
        return Session(agent=_agent(row), csrf=row["csrf"]) if row else None

    async def revoke(self, token: str) -> None:
        async with self.db.connect() as conn:
            await conn.execute(auth_tokens.delete().where(auth_tokens.c.token_hash == _digest(token)))

    async def tokens(self, agent_id: int) -> list[TokenInfo]:
        """The agent's live sessions and API tokens, by id (never the token itself)."""
        query = (
            sa.select(auth_tokens.c.token_hash, auth_tokens.c.kind, auth_tokens.c.expires_at)
            .where(auth_tokens.c.agent_id == agent_id, auth_tokens.c.expires_at > utcnow())
            .order_by(auth_tokens.c.expires_at)
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            TokenInfo(
                token_id=r.token_hash[:TOKEN_ID_LENGTH],
                kind=r.kind,
                expires_at=r.expires_at
                if r.expires_at.tzinfo
                else r.expires_at.replace(tzinfo=utcnow().tzinfo),
            )
            for r in rows
        ]

    async def revoke_token_id(self, agent_id: int, token_id: str) -> bool:
        """Revoke one of the agent's tokens by its id; False when there is none."""
        if len(token_id) != TOKEN_ID_LENGTH or any(c not in "0123456789abcdef" for c in token_id):
            return False
        async with self.db.connect() as conn:
            result = await conn.execute(
                auth_tokens.delete().where(
                    auth_tokens.c.agent_id == agent_id, auth_tokens.c.token_hash.like(f"{token_id}%")
                )
            )
        return bool(result.rowcount)

    async def revoke_all(self, agent_id: int) -> int:
        async with self.db.connect() as conn:
            result = await conn.execute(auth_tokens.delete().where(auth_tokens.c.agent_id == agent_id))
        return int(result.rowcount or 0)

    async def set_active(self, agent_id: int, active: bool) -> bool:
        """Deactivate (every session and token revoked with it) or reactivate an agent."""
        async with self.db.connect() as conn:
            result = await conn.execute(agents.update().where(agents.c.id == agent_id).values(active=active))
            if not active:
                await conn.execute(auth_tokens.delete().where(auth_tokens.c.agent_id == agent_id))
        return bool(result.rowcount)

    async def delete(self, agent_id: int) -> bool:
        """Delete an agent: their tokens go with them; their handoffs and notes stay, unsigned."""
        async with self.db.connect() as conn:
            await conn.execute(auth_tokens.delete().where(auth_tokens.c.agent_id == agent_id))
            result = await conn.execute(agents.delete().where(agents.c.id == agent_id))
        return bool(result.rowcount)
