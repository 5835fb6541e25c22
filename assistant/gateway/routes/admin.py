"""The administrators' dashboard of reports on complicated documents (page and static assets).

The page itself is public (it holds no data); everything it shows comes from `/api/feedback*`,
which only answers an admin's session.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from assistant.feedback import CATEGORIES
from assistant.gateway.static_files import PAGE_HEADERS, STATIC_ROOT, asset_response, templates

router = APIRouter(tags=["admin"], include_in_schema=False)

STATIC_DIR = STATIC_ROOT / "admin"


@router.get("/admin/feedback", response_class=HTMLResponse)
async def feedback_dashboard(request: Request) -> HTMLResponse:
    """Le tableau de bord des signalements (administrateurs)."""
    response = templates.TemplateResponse(
        request,
        "feedback_dashboard.html",
        {"static": "/admin/static", "categories": list(CATEGORIES.items())},
    )
    response.headers.update(PAGE_HEADERS)
    return response


@router.get("/admin/static/{name}")
async def admin_asset(name: str) -> FileResponse:
    """Un fichier statique du tableau de bord (script, feuille de style)."""
    return asset_response(STATIC_DIR, name)
