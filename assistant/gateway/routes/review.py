"""The review queue (agents label, administrators export): messages the assistant should learn from."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

from fastapi import APIRouter, HTTPException, Path, Query, Response
from pydantic import BaseModel, Field, StrictStr

from assistant.gateway.auth_deps import AdminDep, AgentDep
from assistant.gateway.deps import StateDep
from assistant.review import SOURCES, STATUSES
from assistant.review.export import nlu_yaml
from assistant.review.repository import InvalidLabel, ReviewFilter

router = APIRouter(prefix="/api/review", tags=["apprentissage"])
NOT_FOUND = "Élément de la file de relecture introuvable."
ItemId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class LabelIn(BaseModel):
    kind: Literal["situation", "fiche", "intent"] = Field(..., description="situation, fiche ou intent")
    label: StrictStr = Field(..., max_length=64, description="F14128, F1168 ou le nom d'un intent")

    class Config:
        extra = "forbid"


@router.get("")
async def review_queue(
    state: StateDep,
    agent: AgentDep,
    status: Annotated[str, Query(description="open, labelled, discarded ou all")] = "open",
    source: Annotated[Optional[str], Query(description="Raison : " + ", ".join(SOURCES))] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """Les messages à relire (non compris, avis négatifs, transferts faute de compréhension), masqués."""
    if status != "all" and status not in STATUSES:
        raise HTTPException(status_code=422, detail="Statut inconnu : " + ", ".join((*STATUSES, "all")) + ".")
    if source is not None and source not in SOURCES:
        raise HTTPException(status_code=422, detail="Raison inconnue : " + ", ".join(SOURCES) + ".")
    where = ReviewFilter(status=None if status == "all" else status, source=source)
    total, items = await state.review.search(where, offset=(page - 1) * per_page, limit=per_page)
    return {"items": items, "total": total, "page": page, "per_page": per_page, "sources": SOURCES}


@router.get("/export.yml", response_class=Response, responses={200: {"content": {"application/x-yaml": {}}}})
async def review_export(state: StateDep, admin: AdminDep) -> Response:
    """Les messages étiquetés, en données d'entraînement NLU de Rasa (à relire avant data/nlu)."""
    return Response(
        nlu_yaml(await state.review.labelled()),
        media_type="application/x-yaml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="nlu-relecture.yml"'},
    )


@router.post("/{item_id}/label")
async def label_item(item_id: ItemId, body: LabelIn, state: StateDep, agent: AgentDep) -> dict[str, Any]:
    """Étiqueter un message : la bonne situation, la bonne fiche ou le bon intent."""
    try:
        item = await state.review.label(item_id, body.kind, body.label.strip(), agent.id)
    except InvalidLabel:
        raise HTTPException(
            status_code=422,
            detail="Étiquette invalide : une situation (F14128), une fiche (F1168) ou un intent (ask_human).",
        ) from None
    if item is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return item


@router.post("/{item_id}/discard")
async def discard_item(item_id: ItemId, state: StateDep, agent: AgentDep) -> dict[str, Any]:
    """Écarter un message (rien à en apprendre)."""
    item = await state.review.discard(item_id, agent.id)
    if item is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return item
