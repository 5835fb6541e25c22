"""Request checks of the gateway's own: who the client is, and whether a browser request comes
from the gateway's own pages (login CSRF)."""

from __future__ import annotations

import asyncio
from typing import Optional
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant import texts
from assistant.config import Settings
from assistant.gateway.errors import error_response

_CROSS_SITE = {"cross-site", "same-site"}
LOGIN_PATHS = ("/api/auth/token", "/api/auth/session")


def client_address(connection: HTTPConnection) -> str:
    """The client's address: the TCP peer, or what a trusted proxy says (FORWARDED_ALLOW_IPS,
    applied by the proxy-headers middleware the app factory installs)."""
    return connection.client.host if connection.client else "unknown"


def _origin(url: str) -> Optional[str]:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def own_origins(connection: HTTPConnection, settings: Settings) -> set[str]:
    """PUBLIC_BASE_URL's origin when set, else the origin the request was sent to."""
    if settings.public_base_url:
        origin = _origin(settings.public_base_url)
        return {origin} if origin else set()
    return {f"{connection.url.scheme}://{connection.url.netloc}".lower()}


def same_origin(connection: HTTPConnection, settings: Settings) -> bool:
    """False for a request a browser sent from another site: its `Origin` (or `Sec-Fetch-Site`)
    says so. Clients that are not browsers send neither and are let through."""
    if connection.headers.get("sec-fetch-site", "").lower() in _CROSS_SITE:
        return False
    origin = connection.headers.get("origin")
    if origin is None:
        return True
    return origin.strip().lower() in own_origins(connection, settings)


class LoginGate:
    """Answers 429 at once to a login while its client address or everyone is over the limit, or
    while the password pool is full, before the form is parsed and before any other middleware:
    under a flood of logins each refusal costs a fraction of a millisecond instead of a whole
    request (the route counts the attempts). The refusal is held `delay` seconds first: a waiting
    coroutine costs nothing, and a client that waits for its answer (as a flood's clients do) sends
    that much less."""

    def __init__(self, app: ASGIApp, delay: float = 1.0) -> None:
        self.app = app
        self.delay = delay

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in LOGIN_PATHS:
            services = getattr(scope["app"].state, "services", None)
            client = scope["client"][0] if scope.get("client") else "unknown"
            busy = services is not None and services.agents.passwords.full
            if busy or (services is not None and await services.logins.blocked(client)):
                await asyncio.sleep(self.delay)
                response = error_response(429, texts.text("login_busy" if busy else "login_too_many"))
                response.headers["Retry-After"] = "60"
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
