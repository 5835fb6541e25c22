"""Agents and their tokens. Tokens are random; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Optional

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.exc import IntegrityError

from assistant.conversations.repository import utcnow
from assistant.storage import Database
from assistant.storage.tables import agents, auth_tokens

ROLES = ("agent", "admin")
_hasher = PasswordHasher()
# A valid hash to verify against when the username is unknown, so timing does not tell.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class AgentExists(ValueError):
    pass


@dataclass(frozen=True)
class Agent:
    id: int
    username: str
    display_name: str
    role: str

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


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _agent(row: Any) -> Agent:
    return Agent(id=row["id"], username=row["username"], display_name=row["display_name"], role=row["role"])


class AgentRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, username: str, password: str, role: str, display_name: str = "") -> Agent:
        if role not in ROLES:
            raise ValueError(f"rôle inconnu : {role}")
        display_name = display_name or username
        values = {
            "username": username,
            "display_name": display_name,
            "password_hash": _hasher.hash(password),
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

    async def get(self, agent_id: int) -> Optional[Agent]:
        async with self.db.connect() as conn:
            row = (
                (
                    await conn.execute(
                        agents.select().where(agents.c.id == agent_id, agents.c.active.is_(True))
                    )
                )
                .mappings()
                .first()
            )
        return _agent(row) if row else None

    async def all(self) -> list[Agent]:
        async with self.db.connect() as conn:
            rows = (
                (
                    await conn.execute(
                        agents.select().where(agents.c.active.is_(True)).order_by(agents.c.username)
                    )
                )
                .mappings()
                .all()
            )
        return [_agent(r) for r in rows]

    async def authenticate(self, username: str, password: str) -> Optional[Agent]:
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
        try:
            _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
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
