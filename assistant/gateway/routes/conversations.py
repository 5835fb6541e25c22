"""The conversation API used by the web widget and by any client."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Path, Request
from fastapi.responses import JSONResponse

from assistant import texts
from assistant.conversations.inputs import CONVERSATION_ID
from assistant.conversations.limits import refuse
from assistant.conversations.models import ConversationNotFound, StoredMessage
from assistant.conversations.rasa_client import RasaUnavailable
from assistant.gateway.auth_deps import AdminDep, AgentDep
from assistant.gateway.deps import (
    NOT_FOUND,
    ConversationDep,
    RepositoryDep,
    ServiceDep,
    StateDep,
    get_conversation,
)
from assistant.gateway.schemas import (
    ConversationOut,
    ErrorOut,
    MessageIn,
    TranscriptEntry,
    TranscriptOut,
)
from assistant.gateway.security import client_address
from assistant.privacy.retention import erase_conversation

router = APIRouter(prefix="/api/conversations", tags=["conversations"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Conversation introuvable"},
    422: {"model": ErrorOut, "description": "Message invalide"},
    429: {"model": ErrorOut, "description": "Trop de messages ou de conversations"},
    503: {"model": ErrorOut, "description": "Stockage indisponible"},
}


def _out(conversation_id: str, messages: list[StoredMessage], status_code: int = 200) -> JSONResponse:
    """The `ConversationOut` document, built directly from the stored messages' plain types:
    FastAPI's validation and encoding of the response model cost about 0.7 ms of the gateway's
    9.5 ms of CPU per message (measured with real Rasa answers). The model stays declared, for
    the schema."""
    body = {
        "id": conversation_id,
        "messages": [
            {
                "role": m.role,
                "text": m.text,
                "buttons": [{"title": b.title, "payload": b.payload} for b in m.buttons],
                "custom": m.custom,
            }
            for m in messages
        ],
    }
    return JSONResponse(body, status_code=status_code)


@router.post(
    "", status_code=201, response_model=ConversationOut, responses={429: _ERRORS[429], 503: _ERRORS[503]}
)
async def create_conversation(request: Request, service: ServiceDep, state: StateDep) -> JSONResponse:
    """Ouvre une conversation et renvoie les messages d'accueil du bot."""
    if not await state.creations.allow(f"open:{client_address(request)}"):
        raise HTTPException(
            status_code=429, detail=texts.text("conversations_too_many"), headers={"Retry-After": "60"}
        )
    conversation, welcome = await service.start("web")
    return _out(conversation.id, welcome, status_code=201)


@router.post("/{id}/messages", response_model=ConversationOut, responses=_ERRORS)
async def post_message(
    conversation_id: Annotated[str, Path(alias="id")],
    service: ServiceDep,
    state: StateDep,
    message: Annotated[MessageIn, Body()],
) -> JSONResponse:
    """Envoie un message (texte ou bouton) et renvoie les réponses du bot."""
    # The conversation is read in the transaction that stores the message (one read per message).
    if not CONVERSATION_ID.match(conversation_id):
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    guard = service.payloads
    if guard is not None and not await guard.allowed(conversation_id, message.text, message.payload):
        await get_conversation(service.repository, conversation_id)  # 404 first for an unknown one
        raise HTTPException(status_code=422, detail=texts.text("payload_refused"))
    decision = await state.channel_runtime.limiter.check(f"web:{conversation_id}")
    if not decision.allowed:
        conversation = await get_conversation(service.repository, conversation_id)
        await refuse(service, conversation, decision.first_refusal, message.text, message.payload)
        raise HTTPException(status_code=429, detail=texts.text("rate_limited"))
    try:
        replies = await service.handle_inbound(conversation_id, message.text, message.payload)
    except ConversationNotFound:
        raise HTTPException(status_code=404, detail=NOT_FOUND) from None
    return _out(conversation_id, replies)


@router.get("/{id}/messages", response_model=TranscriptOut, responses={404: _ERRORS[404]})
async def get_transcript(conversation: ConversationDep, repository: RepositoryDep) -> TranscriptOut:
    """La transcription : messages de la personne, du bot et des conseillers, horodatés."""
    messages = await repository.transcript(conversation.id)
    return TranscriptOut(
        id=conversation.id,
        messages=[TranscriptEntry(**m.to_dict()) for m in messages],
    )


@router.get("/{id}/context", responses={401: {"model": ErrorOut}, 404: _ERRORS[404], 503: _ERRORS[503]})
async def get_context(
    agent: AgentDep, conversation: ConversationDep, service: ServiceDep, state: StateDep
) -> dict[str, Any]:
    """Pour les conseillers : ce que le bot a compris (situations, réponses, date, plan, questions
    restantes), la prise en charge en cours et la transcription."""
    try:
        context = await service.context(conversation)
    except RasaUnavailable as exc:
        raise HTTPException(status_code=503, detail="Le moteur de dialogue ne répond pas.") from exc
    handoff = await state.handoffs.repository.open_for(conversation.id)
    transcript = await service.repository.transcript(conversation.id)
    return {
        **context,
        "reminders": await state.reminders.of_conversation(conversation.id),
        "handoff": handoff.to_dict() if handoff else None,
        "transcript": [m.to_dict() for m in transcript],
    }


@router.delete("/{id}", status_code=204, responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}})
async def erase(admin: AdminDep, conversation: ConversationDep, state: StateDep) -> None:
    """Droit à l'effacement (RGPD) : supprime la conversation, ses messages, ses prises en charge,
    son plan, ses signalements et son historique dans Rasa."""
    await erase_conversation(state.settings, state.database, conversation.id)
