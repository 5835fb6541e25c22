"""Indicators for administrations (role admin): `/api/stats`, its series as CSV, the open data."""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Annotated, Any, Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Response

from assistant.gateway.auth_deps import AdminDep
from assistant.gateway.deps import StateDep
from assistant.stats.cohort import StatsFilter
from assistant.stats.opendata import opendata_rows
from assistant.stats.opendata import to_csv as opendata_csv
from assistant.stats.series_csv import series_csv

router = APIRouter(prefix="/api/stats", tags=["indicateurs"])
CHANNELS = ("web", "telegram", "sms")
SITUATION = re.compile(r"^[FNR]\d{1,6}$")
MAX_DAYS = 366
DEFAULT_DAYS = 30


def stats_filter(
    date_from: Annotated[Optional[date], Query(alias="from", description="Premier jour (AAAA-MM-JJ)")] = None,
    date_to: Annotated[
        Optional[date],
        Query(alias="to", description="Dernier jour inclus (AAAA-MM-JJ) ; par défaut aujourd'hui"),
    ] = None,
    channel: Annotated[Optional[str], Query(description="web, telegram ou sms")] = None,
    situation: Annotated[
        Optional[str], Query(max_length=16, description="Fiche de la situation (F14128)")
    ] = None,
) -> StatsFilter:
    """Conversations started from `from` to `to` (inclusive, UTC days; 30 days by default)."""
    last = date_to or datetime.now(timezone.utc).date()
    first = date_from or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise HTTPException(status_code=422, detail="« from » est postérieur à « to ».")
    if (last - first).days + 1 > MAX_DAYS:
        raise HTTPException(status_code=422, detail=f"La période dépasse {MAX_DAYS} jours.")
    if channel and channel not in CHANNELS:
        raise HTTPException(status_code=422, detail="Canal inconnu : " + ", ".join(CHANNELS) + ".")
    if situation and not SITUATION.match(situation):
        raise HTTPException(
            status_code=422, detail="Situation invalide : un identifiant de fiche comme F14128."
        )
    return StatsFilter(
        date_from=datetime.combine(first, time.min, tzinfo=timezone.utc),
        date_to=datetime.combine(last + timedelta(days=1), time.min, tzinfo=timezone.utc),
        channel=channel or None,
        situation=situation or None,
    )


FilterDep = Annotated[StatsFilter, Depends(stats_filter)]
Interval = Literal["day", "week"]


def period(where: StatsFilter) -> dict[str, Any]:
    return {
        "from": where.date_from.date().isoformat(),
        "to": (where.date_to - timedelta(days=1)).date().isoformat(),
        "channel": where.channel,
        "situation": where.situation,
    }


@router.get("")
async def stats(
    state: StateDep,
    admin: AdminDep,
    where: FilterDep,
    interval: Annotated[
        Optional[Interval], Query(description="Ajoute la série par jour ou par semaine")
    ] = None,
) -> dict[str, Any]:
    """Les indicateurs des conversations commencées dans la période (définitions : docs/architecture.md)."""
    if not interval:
        return {"period": period(where), **await state.stats.summary(where)}
    summary, series = await asyncio.gather(state.stats.summary(where), state.stats.series(where, interval))
    return {"period": period(where), **summary, "series": series}


@router.get("/series.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def stats_series_csv(
    state: StateDep, admin: AdminDep, where: FilterDep, interval: Interval = "week"
) -> Response:
    """Les indicateurs par jour ou par semaine, en CSV (UTF-8, séparateur virgule)."""
    rows = await state.stats.series(where, interval)
    return Response(
        series_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="indicateurs.csv"'},
    )


@router.get("/opendata.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def stats_opendata(state: StateDep, admin: AdminDep, where: FilterDep) -> Response:
    """Données ouvertes : chiffres par semaine, situation et canal ; les effectifs de 1 à 4 sont masqués."""
    rows = await opendata_rows(state.database, where)
    return Response(
        opendata_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="assistant-demarches-opendata.csv"'},
    )
