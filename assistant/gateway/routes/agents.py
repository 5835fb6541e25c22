"""Administration of agent accounts: their sessions and API tokens, deactivation, deletion."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Path

from assistant.auth.repository import Agent
from assistant.gateway.auth_deps import AdminDep
from assistant.gateway.deps import StateDep
from assistant.gateway.schemas import ErrorOut
from assistant.gateway.state import AppState

router = APIRouter(prefix="/api/admin/agents", tags=["administration"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut},
    403: {"model": ErrorOut, "description": "Réservé aux administrateurs"},
    404: {"model": ErrorOut, "description": "Compte ou jeton introuvable"},
    409: {"model": ErrorOut, "description": "Action impossible sur son propre compte"},
}
AGENT_NOT_FOUND = "Compte de conseiller introuvable."
AgentId = Path(..., ge=1, le=2**31 - 1)


async def _agent(state: AppState, agent_id: int) -> Agent:
    agent = next((a for a in await state.agents.all(include_inactive=True) if a.id == agent_id), None)
    if agent is None:
        raise HTTPException(status_code=404, detail=AGENT_NOT_FOUND)
    return agent


def _not_self(admin: Agent, agent_id: int) -> None:
    if admin.id == agent_id:
        raise HTTPException(status_code=409, detail="Vous ne pouvez pas faire cela sur votre propre compte.")


@router.get("", responses=_ERRORS)
async def list_accounts(state: StateDep, admin: AdminDep) -> dict[str, Any]:
    """Tous les comptes, actifs ou désactivés."""
    return {
        "agents": [{**a.to_dict(), "active": a.active} for a in await state.agents.all(include_inactive=True)]
    }


@router.get("/{agent_id}/tokens", responses=_ERRORS)
async def list_tokens(state: StateDep, admin: AdminDep, agent_id: int = AgentId) -> dict[str, Any]:
    """Les sessions de console et jetons d'accès en cours d'un compte (identifiants, jamais les jetons)."""
    await _agent(state, agent_id)
    return {"tokens": [t.to_dict() for t in await state.agents.tokens(agent_id)]}


@router.delete("/{agent_id}/tokens/{token_id}", status_code=204, responses=_ERRORS)
async def revoke_token(state: StateDep, admin: AdminDep, token_id: str, agent_id: int = AgentId) -> None:
    """Révoque une session ou un jeton d'accès."""
    if not await state.agents.revoke_token_id(agent_id, token_id):
        raise HTTPException(status_code=404, detail="Session ou jeton introuvable.")


@router.delete("/{agent_id}/tokens", responses=_ERRORS)
async def revoke_tokens(state: StateDep, admin: AdminDep, agent_id: int = AgentId) -> dict[str, int]:
    """Révoque toutes les sessions et tous les jetons d'un compte."""
    await _agent(state, agent_id)
    return {"revoked": await state.agents.revoke_all(agent_id)}


@router.post("/{agent_id}/disable", responses=_ERRORS)
async def disable(state: StateDep, admin: AdminDep, agent_id: int = AgentId) -> dict[str, Any]:
    """Désactive un compte : plus de connexion, sessions et jetons révoqués."""
    _not_self(admin, agent_id)
    agent = await _agent(state, agent_id)
    await state.agents.set_active(agent_id, False)
    return {**agent.to_dict(), "active": False}


@router.post("/{agent_id}/enable", responses=_ERRORS)
async def enable(state: StateDep, admin: AdminDep, agent_id: int = AgentId) -> dict[str, Any]:
    """Réactive un compte désactivé."""
    agent = await _agent(state, agent_id)
    await state.agents.set_active(agent_id, True)
    return {**agent.to_dict(), "active": True}


@router.delete("/{agent_id}", status_code=204, responses=_ERRORS)
async def delete(state: StateDep, admin: AdminDep, agent_id: int = AgentId) -> None:
    """Supprime un compte ; ses prises en charge et notes restent, sans signataire."""
    _not_self(admin, agent_id)
    await _agent(state, agent_id)
    await state.agents.delete(agent_id)
