"""A person's plan, to print or to add to a calendar, under an unguessable URL."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from assistant.french.dates import format_date_fr
from assistant.gateway.deps import StateDep
from assistant.kb.models import ATTRIBUTION
from assistant.plans.calendar import plan_to_ics

router = APIRouter(prefix="/plans", tags=["plans"])
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parents[2] / "templates" / "pages"))
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Only our inline styles and the print button's handler ("window.print()", by its hash) may run.
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    "script-src 'unsafe-hashes' 'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


async def _plan(state: StateDep, token: str) -> dict[str, Any]:
    plan = await state.plan_exports.get(token) if TOKEN.match(token) else None
    if plan is None:
        raise HTTPException(status_code=404, detail="Plan introuvable.")
    return plan


@router.get("/{token}.ics", response_class=Response, responses={200: {"content": {"text/calendar": {}}}})
async def plan_calendar(token: str, state: StateDep) -> Response:
    """Les échéances datées du plan, au format iCalendar."""
    plan = await _plan(state, token)
    items = [{**i, "deadline_phrase": i.get("deadline_phrase") or ""} for i in plan.get("items", [])]
    title = "Mes démarches — " + ", ".join(s["title"] for s in plan.get("situations", []))
    body = plan_to_ics(items, title=title, uid_seed=token, now=datetime.now(timezone.utc))
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="mes-demarches.ics"'},
    )


@router.get("/{token}", response_class=HTMLResponse)
async def plan_page(token: str, request: Request, state: StateDep) -> HTMLResponse:
    """La page imprimable du plan."""
    plan = await _plan(state, token)
    event = plan.get("event_date")
    context = {
        "situations": plan.get("situations", []),
        "items": plan.get("items", []),
        "groups": plan.get("groups") or [{"title": None, "items": plan.get("items", [])}],
        "related": plan.get("related", []),
        "event_date": event,
        "event_date_label": format_date_fr(date.fromisoformat(event)) if event else "",
        "has_dates": any(i.get("due_date") for i in plan.get("items", [])),
        "ics_url": f"{request.url.path}.ics",
        "attribution": ATTRIBUTION,
    }
    response = templates.TemplateResponse(request, "plan.html", context)
    response.headers["Content-Security-Policy"] = PAGE_CSP
    response.headers["Cache-Control"] = "private, no-store"
    return response
