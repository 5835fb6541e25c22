"""The web widget's files (`/widget.js`, `/widget.css`) and the demo page that embeds it (`/`)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from assistant.config import Settings
from assistant.gateway.deps import StateDep
from assistant.gateway.static_files import PAGE_HEADERS, STATIC_ROOT, asset_response, templates

router = APIRouter(tags=["widget"], include_in_schema=False)

STATIC_DIR = STATIC_ROOT / "widget"
# Any site may embed the widget: its files are public, cacheable for a short while, revalidated.
WIDGET_HEADERS = {
    "Cache-Control": "public, max-age=300, must-revalidate",
    "Cross-Origin-Resource-Policy": "cross-origin",
}
# /widget.js is a classic script that imports the widget's ES modules from /widget/static/ (see its
# opening comment). Module scripts are fetched in CORS mode, without credentials, from the embedding
# site: they need this header (public files, no cookie involved).
MODULE_HEADERS = {**WIDGET_HEADERS, "Access-Control-Allow-Origin": "*"}


def _widget_file(name: str, headers: dict[str, str] = WIDGET_HEADERS) -> FileResponse:
    response = asset_response(STATIC_DIR, name)
    response.headers.update(headers)
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
    """Un module du widget (importé par /widget.js) ou un fichier de la page de démonstration."""
    if name.endswith(".js"):
        return _widget_file(name, MODULE_HEADERS)
    return asset_response(STATIC_DIR, name)


@router.get("/widget/config")
async def widget_config(state: StateDep) -> JSONResponse:
    """Où envoyer le code pour continuer sur le téléphone : le numéro SMS, le bot Telegram (configurés)."""
    settings = state.settings
    username = settings.telegram_bot_username.lstrip("@")
    config = {
        "sms_number": settings.sms_from_number if settings.sms_configured else None,
        "telegram_bot": "@" + username if settings.telegram_configured and username else None,
    }
    return JSONResponse(config, headers=MODULE_HEADERS)  # public, read from any embedding site


# A Host header as a browser sends it: a host name or an IPv4 address, or a bracketed IPv6
# address, and an optional port. Anything else (quotes, spaces, ";", "<") is never reflected.
_HOST = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$"
)


def gateway_origin(request: Request, settings: Settings) -> str:
    """The gateway's own origin for the page: PUBLIC_BASE_URL when set; else the request's Host
    only when it is a plain host name (issue #27: it was copied unescaped into the page's CSP and
    script src); else HOST:PORT from the settings."""
    if settings.public_base_url:
        return settings.public_base_url
    host = request.headers.get("host", "")
    if _HOST.match(host):
        return f"{request.url.scheme}://{host}"
    return settings.public_url


def _demo_policy(origin: str) -> str:
    """Only the gateway itself: its scripts, styles, API and WebSocket."""
    socket = re.sub(r"^http", "ws", origin)
    return PAGE_HEADERS["Content-Security-Policy"].replace(
        "connect-src 'self'", f"connect-src 'self' {socket}"
    )


@router.get("/", response_class=HTMLResponse)
async def demo_page(request: Request, state: StateDep) -> HTMLResponse:
    """Page de démonstration : une page sur les démarches qui intègre le widget."""
    gateway = gateway_origin(request, state.settings)
    response = templates.TemplateResponse(request, "demo.html", {"gateway": gateway})
    response.headers.update(PAGE_HEADERS)
    response.headers["Content-Security-Policy"] = _demo_policy(gateway)
    return response
