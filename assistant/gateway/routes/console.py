"""The agent console: one HTML page and its static assets (no build step, no external resource)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from assistant.gateway.static_files import PAGE_HEADERS, STATIC_ROOT, asset_response, templates

router = APIRouter(tags=["console"], include_in_schema=False)

STATIC_DIR = STATIC_ROOT / "console"
COMMON_DIR = STATIC_ROOT / "common"


@router.get("/console", response_class=HTMLResponse)
async def console_page(request: Request) -> HTMLResponse:
    """La console des conseillers."""
    response = templates.TemplateResponse(request, "console.html", {"static": "/console/static"})
    response.headers.update(PAGE_HEADERS)
    return response


@router.get("/console/static/{name}")
async def console_asset(name: str) -> FileResponse:
    """Un fichier statique de la console (script, feuille de style)."""
    return asset_response(STATIC_DIR, name)


@router.get("/common/static/{name}")
async def common_asset(name: str) -> FileResponse:
    """Un fichier statique commun à la console et au tableau de bord (script, feuille de style)."""
    return asset_response(COMMON_DIR, name)
