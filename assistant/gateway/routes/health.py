"""Readiness: the gateway is healthy only when everything it needs answers."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from assistant.conversations.rasa_client import action_server_healthy
from assistant.gateway.deps import StateDep

router = APIRouter(tags=["santé"])


@router.get("/healthz")
async def healthz(state: StateDep) -> JSONResponse:
    """200 quand Rasa (modèle chargé), le serveur d'actions et le stockage répondent, 503 sinon."""
    rasa, actions, storage = await asyncio.gather(
        state.rasa.model_loaded(),
        action_server_healthy(state.http, state.settings.action_base_url),
        state.database.ping(),
    )
    components = {"rasa": rasa, "actions": actions, "storage": storage}
    down = sorted(name for name, ok in components.items() if not ok)
    body = {
        "status": "ok" if not down else "degraded",
        "components": {name: ("ok" if ok else "down") for name, ok in components.items()},
        "down": down,
    }
    return JSONResponse(body, status_code=200 if not down else 503)
