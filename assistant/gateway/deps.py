"""Dependency aliases, in the style of `Annotated[..., Depends(...)]`.

The dependencies are `async def` even when they do not await: FastAPI runs a plain `def`
dependency in its thread pool, a thread hop per dependency and request for a dictionary lookup.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request

from assistant.conversations.inputs import CONVERSATION_ID
from assistant.conversations.models import Conversation
from assistant.conversations.repository import ConversationRepository
from assistant.conversations.service import ConversationService
from assistant.gateway.state import AppState

NOT_FOUND = "Conversation introuvable."


async def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.services
    return state


StateDep = Annotated[AppState, Depends(get_state)]


async def get_service(state: StateDep) -> ConversationService:
    return state.conversations


async def get_repository(state: StateDep) -> ConversationRepository:
    return state.conversations.repository


ServiceDep = Annotated[ConversationService, Depends(get_service)]
RepositoryDep = Annotated[ConversationRepository, Depends(get_repository)]


async def get_conversation(
    repository: RepositoryDep, conversation_id: Annotated[str, Path(alias="id")]
) -> Conversation:
    conversation = None
    if CONVERSATION_ID.match(conversation_id):
        conversation = await repository.get(conversation_id)
    if conversation is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return conversation


ConversationDep = Annotated[Conversation, Depends(get_conversation)]
