"""Prometheus metrics (text format), for the operators' monitoring."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST

from assistant.gateway.deps import StateDep
from assistant.storage import StorageUnavailable

router = APIRouter(tags=["santé"])


@router.get("/metrics", response_class=Response, include_in_schema=False)
async def metrics(state: StateDep) -> Response:
    try:
        waiting = await state.handoffs.repository.count("waiting")
    except StorageUnavailable:
        state.metrics.errors.labels("storage").inc()
    else:
        state.metrics.handoffs_waiting.set(waiting)
    return Response(state.metrics.render(), media_type=CONTENT_TYPE_LATEST)
