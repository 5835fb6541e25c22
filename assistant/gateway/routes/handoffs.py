"""The agents' API: the queue, claiming, replying, notes, transfer, closing, live events."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, StrictStr, validator

from assistant.conversations.inputs import MAX_TEXT_CHARS, clean_text
from assistant.gateway.auth_deps import AgentDep
from assistant.gateway.deps import StateDep
from assistant.gateway.sse import REPLAY_LIMIT, event_stream
from assistant.handoff.previews import with_previews
from assistant.handoff.repository import Handoff
from assistant.handoff.service import OUTCOMES, HandoffError
from assistant.infra.broker import QUEUE_TOPIC, conversation_topic

router = APIRouter(prefix="/api", tags=["conseillers"])


class TextIn(BaseModel):
    text: StrictStr = Field(..., description="Texte (2 000 caractères au plus)")

    class Config:
        extra = "forbid"

    @validator("text")
    def _clean(cls, value: str) -> str:  # noqa: N805
        value = clean_text(value)
        if not value or len(value) > MAX_TEXT_CHARS:
            raise ValueError(f"Le texte doit contenir entre 1 et {MAX_TEXT_CHARS} caractères.")
        return value


class TransferIn(BaseModel):
    agent_id: int

    class Config:
        extra = "forbid"


class CloseIn(BaseModel):
    outcome: Literal["resolved", "redirected", "person_left", "abusive", "other"]
    back_to_bot: bool = False

    class Config:
        extra = "forbid"


async def _handoff(state: Any, handoff_id: str) -> Handoff:
    try:
        handoff: Handoff = await state.handoffs.get(handoff_id)
    except LookupError:
        raise HTTPException(status_code=404, detail="Prise en charge introuvable.") from None
    return handoff


async def _act(coroutine: Any) -> Any:
    try:
        return await coroutine
    except LookupError:
        raise HTTPException(status_code=404, detail="Prise en charge introuvable.") from None
    except HandoffError as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from exc


@router.get("/handoffs")
async def list_handoffs(
    state: StateDep, agent: AgentDep, status: Literal["waiting", "active", "closed"] = Query("waiting")
) -> dict[str, Any]:
    """La file : en attente (par priorité puis ancienneté), en cours, ou terminées ; chacune avec le
    dernier message de la personne (`last_message`)."""
    handoffs = [h.to_dict() for h in await state.handoffs.repository.by_status(status)]
    return {"handoffs": await with_previews(state.conversations.repository, handoffs)}


@router.get("/handoffs/events")
async def queue_events(request: Request, state: StateDep, agent: AgentDep) -> StreamingResponse:
    """Flux en direct (text/event-stream) des changements de la file, avec un commentaire de
    maintien toutes les `SSE_KEEPALIVE_SECONDS` secondes."""

    async def enrich(event: dict[str, Any]) -> dict[str, Any]:
        handoff = event.get("handoff")
        if not isinstance(handoff, dict) or "conversation_id" not in handoff:
            return event
        (handoff,) = await with_previews(state.conversations.repository, [handoff])
        return {**event, "handoff": handoff}

    keepalive = state.settings.sse_keepalive_seconds
    return event_stream(request, state.broker, QUEUE_TOPIC, keepalive, enrich=enrich)


@router.get("/handoffs/{handoff_id}")
async def get_handoff(handoff_id: str, state: StateDep, agent: AgentDep) -> dict[str, Any]:
    """Une prise en charge avec son paquet, ses notes internes et la transcription à jour."""
    handoff = await _handoff(state, handoff_id)
    transcript = await state.conversations.repository.transcript(handoff.conversation_id)
    return {
        **handoff.to_dict(),
        "packet": handoff.packet,
        "notes": await state.handoffs.repository.notes(handoff_id),
        "transcript": [m.to_dict() for m in transcript],
    }


@router.get("/handoffs/{handoff_id}/events")
async def conversation_events(
    handoff_id: str, request: Request, state: StateDep, agent: AgentDep
) -> StreamingResponse:
    """Flux en direct des nouveaux messages de la conversation (`id:` = id du message). Avec
    `Last-Event-ID` (ou `?last_event_id=`), les messages enregistrés depuis sont envoyés d'abord."""
    handoff = await _handoff(state, handoff_id)
    conversation_id = handoff.conversation_id

    async def replay(after: int) -> list[dict[str, Any]]:
        missed = await state.conversations.repository.after(conversation_id, after, REPLAY_LIMIT)
        return [{"event": "message", "message": m.to_dict()} for m in missed]

    keepalive = state.settings.sse_keepalive_seconds
    return event_stream(request, state.broker, conversation_topic(conversation_id), keepalive, replay=replay)


@router.post("/handoffs/{handoff_id}/claim")
async def claim(handoff_id: str, state: StateDep, agent: AgentDep) -> dict[str, Any]:
    """Prendre la conversation en charge (un seul conseiller à la fois ; sinon 409)."""
    handoff: Handoff = await _act(state.handoffs.claim(handoff_id, agent))
    return handoff.to_dict()


@router.post("/handoffs/{handoff_id}/messages", status_code=201)
async def reply(handoff_id: str, body: TextIn, state: StateDep, agent: AgentDep) -> dict[str, Any]:
    """Répondre à la personne, sur son propre canal."""
    message = await _act(state.handoffs.reply(handoff_id, agent, body.text))
    return dict(message.to_dict())


@router.post("/handoffs/{handoff_id}/notes", status_code=201)
async def add_note(handoff_id: str, body: TextIn, state: StateDep, agent: AgentDep) -> dict[str, Any]:
    """Ajouter une note interne (jamais montrée à la personne)."""
    note: dict[str, Any] = await _act(state.handoffs.note(handoff_id, agent, body.text))
    return note


@router.post("/handoffs/{handoff_id}/transfer")
async def transfer(handoff_id: str, body: TransferIn, state: StateDep, agent: AgentDep) -> dict[str, Any]:
    """Transférer la conversation à un autre conseiller."""
    target = await state.agents.get(body.agent_id)
    if target is None:
        raise HTTPException(status_code=404, detail="Conseiller introuvable.")
    handoff: Handoff = await _act(state.handoffs.transfer(handoff_id, agent, target))
    return handoff.to_dict()


@router.post("/handoffs/{handoff_id}/close")
async def close(handoff_id: str, body: CloseIn, state: StateDep, agent: AgentDep) -> dict[str, Any]:
    """Terminer : rendre la main au bot (il le dit à la personne) ou clore avec un résultat."""
    handoff, notices = await _act(state.handoffs.close(handoff_id, agent, body.outcome, body.back_to_bot))
    await _after_close(state, handoff, notices, body.back_to_bot)
    return dict(handoff.to_dict())


async def _after_close(state: Any, handoff: Handoff, notices: list[Any], back_to_bot: bool) -> None:
    """The person is told (the agent left, or closed with its outcome) and the bot takes the
    conversation again, in Rasa too: the next message is answered by a dialogue that goes on."""
    conversation = await state.conversations.repository.get(handoff.conversation_id)
    if conversation is not None:
        await state.conversations.resume_bot(conversation, notices, quiet=not back_to_bot)


@router.get("/agents")
async def list_agents(state: StateDep, agent: AgentDep) -> dict[str, Any]:
    """Les conseillers (pour un transfert)."""
    return {"agents": [a.to_dict() for a in await state.agents.all()]}


@router.get("/canned-replies")
async def canned_replies(state: StateDep, agent: AgentDep) -> dict[str, Any]:
    """Les réponses types proposées dans la console."""
    return {"replies": state.canned_replies}


__all__ = ["OUTCOMES", "router"]
