"""Who is calling: a bearer token (API) or a console session cookie (with a CSRF token)."""

from __future__ import annotations

import hmac
from typing import Annotated, Optional

from fastapi import Depends, HTTPException, Request

from assistant.auth.repository import Agent, Session
from assistant.gateway.deps import StateDep

SESSION_COOKIE = "console_session"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def bearer_token(request: Request) -> Optional[str]:
    """The token of an `Authorization: Bearer ...` header, if any."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return credentials.strip() or None if scheme.lower() == "bearer" else None


async def current_session(request: Request, state: StateDep) -> Session:
    session: Optional[Session] = None
    if token := bearer_token(request):
        session = await state.agents.resolve(token, "api")
    elif cookie := request.cookies.get(SESSION_COOKIE):
        session = await state.agents.resolve(cookie, "session")
        if session is not None and request.method not in _SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER, "")
            if not session.csrf or not hmac.compare_digest(sent, session.csrf):
                raise HTTPException(status_code=403, detail="Jeton CSRF absent ou invalide.")
    if session is None:
        raise HTTPException(
            status_code=401, detail="Authentification requise.", headers={"WWW-Authenticate": "Bearer"}
        )
    return session


async def current_agent(session: Annotated[Session, Depends(current_session)]) -> Agent:
    return session.agent


async def current_admin(agent: Annotated[Agent, Depends(current_agent)]) -> Agent:
    if agent.role != "admin":
        raise HTTPException(status_code=403, detail="Réservé aux administrateurs.")
    return agent


AgentDep = Annotated[Agent, Depends(current_agent)]
AdminDep = Annotated[Agent, Depends(current_admin)]
SessionDep = Annotated[Session, Depends(current_session)]
