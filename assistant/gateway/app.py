"""The FastAPI gateway: `create_app()` is the uvicorn factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Optional

from fastapi import FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from assistant.config import Settings, get_settings
from assistant.gateway.errors import install_error_handlers
from assistant.gateway.middleware import install_middleware
from assistant.gateway.routes import (
    admin,
    agents,
    auth,
    console,
    conversations,
    feedback,
    handoffs,
    health,
    linking,
    metrics,
    plans,
    review,
    stats,
    stats_pages,
    web_socket,
    webhooks,
    widget,
)
from assistant.gateway.security import LoginGate
from assistant.gateway.state import AppState
from assistant.infra.files import private_files
from assistant.infra.logs import configure_logging
from assistant.infra.metrics import RequestMetrics
from assistant.storage.db import upgrade_database

DESCRIPTION = """
Passerelle de l'assistant des démarches administratives : elle reçoit les messages
des canaux (widget web, Telegram, SMS), les enregistre, les transmet au moteur de
dialogue et renvoie les réponses. Toutes les erreurs sont du JSON
`{"error": {"code", "message"}}`.
"""


def create_app(settings: Optional[Settings] = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level, settings.secret_key)
        private_files(settings.var_dir)  # var/: 0700, its files 0600, new ones too
        if settings.auto_migrate:  # DB_AUTO_MIGRATE (development); production: `assistant db upgrade`
            await upgrade_database(settings.sqlalchemy_url)
        state = await AppState.create(settings)
        app.state.services = state
        state.retry.start()
        state.reminder_sender.start()
        try:
            yield
        finally:
            await state.close()

    app = FastAPI(
        title="Assistant démarches",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # The API's documentation pages, in development only (docs/security.md).
        docs_url="/docs" if settings.is_development else None,
        redoc_url="/redoc" if settings.is_development else None,
        openapi_url="/openapi.json" if settings.is_development else None,
    )

    # No `dependency_overrides` here: with any override set, FastAPI rebuilds every dependency of
    # every request from its signature (a quarter of the request time in a profile). Routes read
    # the settings from the app state (`StateDep`).
    install_error_handlers(app)
    install_middleware(app, settings)
    app.add_middleware(RequestMetrics)
    # Outside the others, inside the proxy headers (the real client).
    app.add_middleware(LoginGate, delay=settings.login_refusal_delay)
    if settings.trusted_proxies:  # outermost: every route and rate limit sees the real client
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.include_router(conversations.router)
    app.include_router(linking.router)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(plans.router)
    app.include_router(webhooks.router)
    app.include_router(auth.router)
    app.include_router(handoffs.router)
    app.include_router(console.router)
    app.include_router(feedback.router)
    app.include_router(admin.router)
    app.include_router(stats.router)
    app.include_router(review.router)
    app.include_router(stats_pages.router)
    app.include_router(agents.router)
    app.include_router(widget.router)
    app.include_router(web_socket.router)
    return app
