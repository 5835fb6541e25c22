"""Readiness: the gateway is healthy only when everything it needs answers."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from assistant import texts
from assistant.conversations.rasa_client import action_server_healthy
from assistant.gateway.deps import StateDep
from assistant.gateway.state import redis_healthy

router = APIRouter(tags=["santé"])


@router.get("/livez")
async def livez() -> dict[str, str]:
    """200 dès que le processus répond, même si Rasa ou la base sont en panne (sondes de démarrage,
    de disponibilité et de vie : la passerelle garde alors les messages en attente)."""
    return {"status": "ok"}


@router.get("/healthz")
async def healthz(state: StateDep) -> JSONResponse:
    """200 quand Rasa (modèle chargé), le serveur d'actions, le stockage et Redis (s'il est configuré)
    répondent ; 503 sinon, avec la liste des composants en panne (`down`) et un message en français."""
    checks = {
        "rasa": state.rasa.model_loaded(),
        "actions": action_server_healthy(state.rasa.session, state.settings.action_base_url),
        "storage": state.database.ping(),
    }
    redis = state.channel_runtime.redis
    if redis is not None:
        checks["redis"] = redis_healthy(redis)
    results = await asyncio.gather(*checks.values())
    components = dict(zip(checks, results, strict=True))
    down = sorted(name for name, ok in components.items() if not ok)
    if down:
        names = ", ".join(texts.text(f"health_component_{name}") for name in down)
        message = texts.text("health_down", components=names)
    else:
        message = texts.text("health_ok")
    body = {
        "status": "ok" if not down else "degraded",
        "components": {name: ("ok" if ok else "down") for name, ok in components.items()},
        "down": down,
        "message": message,
    }
    return JSONResponse(body, status_code=200 if not down else 503)
