"""Continuity across channels for the web: ask for a code, or redeem one to switch conversation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field, StrictStr

from assistant import texts
from assistant.gateway.deps import ConversationDep, ServiceDep, StateDep
from assistant.gateway.schemas import ErrorOut
from assistant.linking.codes import normalise

router = APIRouter(prefix="/api/conversations", tags=["conversations"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Conversation introuvable"},
    422: {"model": ErrorOut, "description": "Code invalide, expiré ou déjà utilisé"},
    429: {"model": ErrorOut, "description": "Trop de tentatives"},
}


class LinkCodeOut(BaseModel):
    code: str = Field(..., description="Code à 6 caractères, à usage unique.")
    expires_at: datetime


class LinkIn(BaseModel):
    code: StrictStr = Field(..., max_length=32, description="Le code reçu sur un autre canal.")

    class Config:
        extra = "forbid"
        schema_extra = {"example": {"code": "K7P2QX"}}


class LinkOut(BaseModel):
    id: str = Field(..., description="La conversation poursuivie ici.")


@router.post("/{id}/link-code", status_code=201, response_model=LinkCodeOut, responses=_ERRORS)
async def create_link_code(
    conversation: ConversationDep, service: ServiceDep, state: StateDep
) -> LinkCodeOut:
    """Donne un code pour poursuivre cette conversation sur Telegram ou par SMS (valable 15 minutes,
    une seule fois ; un nouveau code annule le précédent)."""
    limiter = state.channel_runtime.limiter
    if not await limiter.allow(f"web:{conversation.id}"):
        raise HTTPException(status_code=429, detail=texts.text("rate_limited"))
    issued = await state.linking.request_code(conversation)
    return LinkCodeOut(code=issued.code, expires_at=issued.expires_at)


@router.post("/link", response_model=LinkOut, responses=_ERRORS)
async def link(body: LinkIn, request: Request, service: ServiceDep, state: StateDep) -> LinkOut:
    """Poursuit ici (sur le web) une conversation commencée ailleurs, avec le code reçu là-bas."""
    client = request.client.host if request.client else "unknown"
    result = await state.linking.redeem(normalise(body.code), "web", None, f"web-link:{client}")
    if result.status == "blocked":
        raise HTTPException(status_code=429, detail=result.refusal)
    if not result.linked or result.conversation is None:
        raise HTTPException(status_code=422, detail=result.refusal)
    await service.channels.get("web").deliver(result.conversation, list(result.messages))
    return LinkOut(id=result.conversation.id)
