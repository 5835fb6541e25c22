"""The agent console: one HTML page and its static assets (no build step, no external resource)."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

router = APIRouter(tags=["console"], include_in_schema=False)

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR = PACKAGE_ROOT / "static" / "console"
templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PACKAGE_ROOT / "templates" / "pages")), autoescape=True
    )
)

# One flat directory of assets: a plain file name with a known extension, nothing else.
ASSET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}\.(js|css|svg)$")
MEDIA_TYPES = {
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "svg": "image/svg+xml",
}

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


@router.get("/console", response_class=HTMLResponse)
async def console_page(request: Request) -> HTMLResponse:
    """La console des conseillers."""
    response = templates.TemplateResponse(request, "console.html", {"static": "/console/static"})
    response.headers.update(PAGE_HEADERS)
    return response


@router.get("/console/static/{name}")
async def console_asset(name: str) -> FileResponse:
    """Un fichier statique de la console (script, feuille de style)."""
    match = ASSET_NAME.match(name)
    path = (STATIC_DIR / name).resolve() if match else None
    if match is None or path is None or path.parent != STATIC_DIR or not path.is_file():
        raise HTTPException(status_code=404, detail="Fichier introuvable.")
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[match.group(1)],
        headers={
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-cache",
        },
    )
