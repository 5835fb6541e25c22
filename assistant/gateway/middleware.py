"""Security headers on every response, CORS limited to the widget's origins, a request body limit."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.config import Settings
from assistant.gateway.errors import error_response

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
# The OpenAPI page loads its assets from a CDN by default: it gets no strict policy of ours.
_DOCS_PATHS = ("/docs", "/redoc")


class SecurityHeaders:
    """Adds the headers a page or an API answer should carry, unless the route set its own."""

    def __init__(self, app: ASGIApp, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}

                def add(name: str, value: str) -> None:
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))

                add("x-content-type-options", "nosniff")
                add("referrer-policy", "no-referrer")
                add("x-frame-options", "DENY")
                add("permissions-policy", "camera=(), microphone=(), geolocation=()")
                add("cross-origin-opener-policy", "same-origin")
                if self.https:
                    add("strict-transport-security", "max-age=31536000; includeSubDomains")
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"application/json") and not path.startswith(_DOCS_PATHS):
                    add("content-security-policy", API_CSP)
                    add("cache-control", "no-store")
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def too_large_message(limit: int) -> str:
    return f"La requête est trop volumineuse ({limit // 1024} Ko au plus)."


class BodyTooLarge(HTTPException):
    """Raised while the body is read; FastAPI lets HTTP exceptions through, the handler answers 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_message(limit))


class BodySizeLimit:
    """Refuses request bodies over `limit` bytes: by Content-Length at once, else while they arrive."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            length = declared.decode("latin-1").strip()
            if not length.isdigit():
                await error_response(400, "L'en-tête Content-Length est invalide.")(scope, receive, send)
                return
            if int(length) > self.limit:
                await error_response(413, too_large_message(self.limit))(scope, receive, send)
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, limited_receive, send)


def install_middleware(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    origins = [o.strip().rstrip("/") for o in settings.widget_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["content-type"],
            allow_credentials=False,
            max_age=600,
        )
    app.add_middleware(SecurityHeaders, https=settings.public_url.startswith("https://"))
