"""Logins: OAuth2 password flow for the API, a session cookie for the console."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from assistant import texts
from assistant.auth.passwords import PasswordWorkersBusy
from assistant.auth.repository import Agent
from assistant.gateway.auth_deps import SESSION_COOKIE, SessionDep, bearer_token
from assistant.gateway.deps import StateDep
from assistant.gateway.security import client_address, same_origin
from assistant.gateway.state import AppState

router = APIRouter(tags=["authentification"])
API_TOKEN_LIFETIME = timedelta(hours=12)
SESSION_LIFETIME = timedelta(hours=10)
RETRY_AFTER = {"Retry-After": "60"}


async def _login(request: Request, state: AppState, username: str, password: str) -> Agent:
    if not same_origin(request, state.settings):  # login CSRF: a form of another site
        raise HTTPException(status_code=403, detail=texts.text("login_bad_origin"))
    if not await state.logins.allow(client_address(request), username):
        raise HTTPException(status_code=429, detail=texts.text("login_too_many"), headers=RETRY_AFTER)
    try:
        agent = await state.agents.authenticate(username, password)
    except PasswordWorkersBusy:
        raise HTTPException(status_code=429, detail=texts.text("login_busy"), headers=RETRY_AFTER) from None
    if agent is None:
        raise HTTPException(
            status_code=401,
            detail="Identifiant ou mot de passe incorrect.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return agent


@router.post("/api/auth/token")
async def issue_token(
    request: Request, state: StateDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> dict[str, Any]:
    """Échange identifiant et mot de passe contre un jeton d'accès (OAuth2, mot de passe)."""
    agent = await _login(request, state, form.username, form.password)
    token, _ = await state.agents.issue_token(agent, "api", API_TOKEN_LIFETIME)
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": int(API_TOKEN_LIFETIME.total_seconds()),
    }


@router.post("/api/auth/session")
async def open_session(
    request: Request,
    response: Response,
    state: StateDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> dict[str, Any]:
    """Ouvre une session de console : cookie HttpOnly et jeton CSRF à renvoyer dans X-CSRF-Token."""
    agent = await _login(request, state, form.username, form.password)
    token, csrf = await state.agents.issue_token(agent, "session", SESSION_LIFETIME)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        secure=state.settings.public_url.startswith("https://"),
        samesite="strict",
        path="/",
    )
    return {"agent": agent.to_dict(), "csrf_token": csrf}


@router.get("/api/auth/me")
async def whoami(session: SessionDep) -> dict[str, Any]:
    """L'agent connecté (et son jeton CSRF pour une session de console)."""
    return {"agent": session.agent.to_dict(), "csrf_token": session.csrf}


@router.post("/api/auth/logout", status_code=204)
async def logout(request: Request, response: Response, state: StateDep, session: SessionDep) -> None:
    """Ferme la session de console, ou révoque le jeton d'accès présenté (Authorization: Bearer)."""
    if token := bearer_token(request):
        await state.agents.revoke(token)
    elif cookie := request.cookies.get(SESSION_COOKIE):
        await state.agents.revoke(cookie)
    response.delete_cookie(SESSION_COOKIE, path="/")
