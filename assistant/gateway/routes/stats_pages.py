"""The supervisor's indicators page (`/admin/stats`) and the console's review screen (`/console/review`).

The pages hold no data: everything comes from `/api/stats*` (admins) and `/api/review*` (agents).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from assistant.gateway.static_files import PAGE_HEADERS, STATIC_ROOT, asset_response, templates
from assistant.review import SOURCES

router = APIRouter(tags=["admin"], include_in_schema=False)

STATS_DIR = STATIC_ROOT / "stats"
REVIEW_DIR = STATIC_ROOT / "review"


@router.get("/admin/stats", response_class=HTMLResponse)
async def stats_page(request: Request) -> HTMLResponse:
    """Les indicateurs du service (administrateurs)."""
    response = templates.TemplateResponse(request, "stats_dashboard.html", {"static": "/admin/stats/static"})
    response.headers.update(PAGE_HEADERS)
    return response


@router.get("/admin/stats/static/{name}")
async def stats_asset(name: str) -> FileResponse:
    """Un fichier statique de la page des indicateurs (dont Chart.js, sous licence MIT)."""
    return asset_response(STATS_DIR, name)


@router.get("/console/review", response_class=HTMLResponse)
async def review_page(request: Request) -> HTMLResponse:
    """La relecture des messages mal compris (conseillers)."""
    response = templates.TemplateResponse(
        request, "review.html", {"static": "/console/review/static", "sources": list(SOURCES.items())}
    )
    response.headers.update(PAGE_HEADERS)
    return response


@router.get("/console/review/static/{name}")
async def review_asset(name: str) -> FileResponse:
    """Un fichier statique de l'écran de relecture."""
    return asset_response(REVIEW_DIR, name)
