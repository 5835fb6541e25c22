"""What the gateway's own pages share: templates, strict headers, and safe flat static directories."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from fastapi import HTTPException
from fastapi.responses import FileResponse
from fastapi.templating import Jinja2Templates

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
STATIC_ROOT = PACKAGE_ROOT / "static"
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
ASSET_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def asset_response(directory: Path, name: str) -> FileResponse:
    """A file straight inside `directory` (already resolved), or a 404: no subfolder, no way out."""
    match = ASSET_NAME.match(name)
    path = (directory / name).resolve() if match else None
    if match is None or path is None or path.parent != directory or not path.is_file():
        raise HTTPException(status_code=404, detail="Fichier introuvable.")
    return FileResponse(path, media_type=MEDIA_TYPES[match.group(1)], headers=ASSET_HEADERS)
