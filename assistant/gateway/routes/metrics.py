"""Prometheus metrics (text format), for the operators' monitoring: behind METRICS_TOKEN.

Without the token set, /metrics answers 404 (nothing to find); with it, only a request carrying
`Authorization: Bearer <METRICS_TOKEN>` gets the figures (Prometheus: `authorization.credentials`).
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, HTTPException, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST

from assistant import texts
from assistant.gateway.auth_deps import bearer_token
from assistant.gateway.deps import StateDep
from assistant.storage import StorageUnavailable

router = APIRouter(tags=["santé"])


@router.get("/metrics", response_class=Response, include_in_schema=False)
async def metrics(request: Request, state: StateDep) -> Response:
    expected = state.settings.metrics_token
    if not expected:
        raise HTTPException(status_code=404)
    if not hmac.compare_digest((bearer_token(request) or "").encode(), expected.encode()):
        raise HTTPException(
            status_code=401, detail=texts.text("metrics_forbidden"), headers={"WWW-Authenticate": "Bearer"}
        )
    try:
        waiting = await state.handoffs.repository.count("waiting")
    except StorageUnavailable:
        state.metrics.errors.labels("storage").inc()
    else:
        state.metrics.handoffs_waiting.set(waiting)
    return Response(state.metrics.render(), media_type=CONTENT_TYPE_LATEST)
