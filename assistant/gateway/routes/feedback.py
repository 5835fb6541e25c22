"""Administrations' access to the reports on complicated documents (role admin)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Annotated, Any, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Response

from assistant.feedback import CATEGORIES
from assistant.feedback.reports import services_publics_export, statistics, to_csv
from assistant.feedback.repository import FeedbackFilter
from assistant.gateway.auth_deps import AdminDep
from assistant.gateway.deps import StateDep

router = APIRouter(prefix="/api/feedback", tags=["signalements"])
REFERENCE = re.compile(r"^DOC-\d{4}-\d{6,}$")
EXPORT_LIMIT = 100_000


def feedback_filters(
    date_from: Annotated[
        Optional[date], Query(alias="from", description="Depuis ce jour (AAAA-MM-JJ)")
    ] = None,
    date_to: Annotated[Optional[date], Query(alias="to", description="Jusqu'à ce jour inclus")] = None,
    document: Annotated[
        Optional[str], Query(max_length=200, description="Fiche, cerfa ou mots du titre")
    ] = None,
    organisation: Annotated[Optional[str], Query(max_length=200)] = None,
    category: Annotated[Optional[str], Query(description="Catégorie : " + ", ".join(CATEGORIES))] = None,
) -> FeedbackFilter:
    if category is not None and category not in CATEGORIES:
        raise HTTPException(status_code=422, detail="Catégorie inconnue : " + ", ".join(CATEGORIES))
    if date_from and date_to and date_from > date_to:
        raise HTTPException(status_code=422, detail="« from » est postérieur à « to ».")
    return FeedbackFilter(
        date_from=datetime.combine(date_from, time.min, tzinfo=timezone.utc) if date_from else None,
        date_to=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=timezone.utc)
        if date_to
        else None,
        document=document or None,
        organisation=organisation or None,
        category=category,
    )


FilterDep = Annotated[FeedbackFilter, Depends(feedback_filters)]


@router.get("")
async def list_feedback(
    state: StateDep,
    admin: AdminDep,
    where: FilterDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Les signalements, du plus récent au plus ancien, filtrés et paginés."""
    total, items = await state.feedback.search(where, offset=(page - 1) * per_page, limit=per_page)
    return {"items": items, "total": total, "page": page, "per_page": per_page}


@router.get(".csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def export_csv(state: StateDep, admin: AdminDep, where: FilterDep) -> Response:
    """Export CSV (UTF-8, séparateur virgule) ; aucune cellule ne peut devenir une formule."""
    _, items = await state.feedback.search(where, limit=EXPORT_LIMIT)
    return Response(
        to_csv(items),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="signalements.csv"'},
    )


@router.get("/stats")
async def feedback_stats(state: StateDep, admin: AdminDep, where: FilterDep) -> dict[str, Any]:
    """Nombre de signalements par document, organisme, catégorie et semaine."""
    _, items = await state.feedback.search(where, limit=EXPORT_LIMIT)
    return statistics(items)


@router.get("/export")
async def export_services_publics(state: StateDep, admin: AdminDep, where: FilterDep) -> dict[str, Any]:
    """Export au format d'un circuit « signaler un document trop compliqué » (type Services Publics+)."""
    _, items = await state.feedback.search(where, limit=EXPORT_LIMIT)
    return {"signalements": services_publics_export(items)}


@router.get("/{reference}")
async def get_feedback(reference: str, state: StateDep, admin: AdminDep) -> dict[str, Any]:
    """Un signalement par sa référence (DOC-AAAA-NNNNNN)."""
    item = await state.feedback.get(reference) if REFERENCE.match(reference) else None
    if item is None:
        raise HTTPException(status_code=404, detail="Signalement introuvable.")
    return item
