"""The web widget's files (`/widget.js`, `/widget.css`) and the demo page that embeds it (`/`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from assistant.gateway.static_files import PAGE_HEADERS, STATIC_ROOT, asset_response, templates

router = APIRouter(tags=["widget"], include_in_schema=False)

STATIC_DIR = STATIC_ROOT / "widget"
# Any site may embed the widget: its files are public, cacheable for a short while, revalidated.
WIDGET_HEADERS = {
    "Cache-Control": "public, max-age=300, must-revalidate",
    "Cross-Origin-Resource-Policy": "cross-origin",
}


def _widget_file(name: str) -> FileResponse:
    response = asset_response(STATIC_DIR, name)
    response.headers.update(WIDGET_HEADERS)
    return response


@router.get("/widget.js")
async def widget_script() -> FileResponse:
    """Le widget : une seule balise script l'intègre à n'importe quel site."""
    return _widget_file("widget.js")


@router.get("/widget.css")
async def widget_stylesheet() -> FileResponse:
    """La feuille de style du widget (chargée par le widget, dans son shadow DOM)."""
    return _widget_file("widget.css")


@router.get("/widget/static/{name}")
async def widget_asset(name: str) -> FileResponse:
    """Un fichier statique de la page de démonstration."""
    return asset_response(STATIC_DIR, name)


def _demo_policy(request: Request) -> str:
    """Only the gateway itself: its scripts, styles, API and WebSocket."""
    socket = ("wss://" if request.url.scheme == "https" else "ws://") + request.url.netloc
    return PAGE_HEADERS["Content-Security-Policy"].replace(
        "connect-src 'self'", f"connect-src 'self' {socket}"
    )


@router.get("/", response_class=HTMLResponse)
async def demo_page(request: Request) -> HTMLResponse:
    """Page de démonstration : une page sur les démarches qui intègre le widget."""
    gateway = str(request.base_url).rstrip("/")
    response = templates.TemplateResponse(request, "demo.html", {"gateway": gateway})
    response.headers.update(PAGE_HEADERS)
    response.headers["Content-Security-Policy"] = _demo_policy(request)
    return response
