"""Long-lived clients of one gateway process, built in the lifespan."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from assistant.config import Settings
from assistant.conversations.rasa_client import RasaClient
from assistant.conversations.repository import ConversationRepository
from assistant.conversations.service import ConversationService
from assistant.plans.repository import PlanExportRepository
from assistant.storage import Database
from channels.registry import default_registry


@dataclass
class AppState:
    settings: Settings
    database: Database
    http: httpx.AsyncClient
    rasa: RasaClient
    conversations: ConversationService
    plan_exports: PlanExportRepository

    @classmethod
    async def create(cls, settings: Settings) -> AppState:
        database = Database(settings.sqlalchemy_url)
        await database.start()
        http = httpx.AsyncClient(limits=httpx.Limits(max_connections=200, max_keepalive_connections=50))
        rasa = RasaClient(settings.rasa_base_url, settings.rasa_token, settings.rasa_timeout, http)
        exports = PlanExportRepository(database)
        service = ConversationService(
            ConversationRepository(database), rasa, exports, settings.public_url, default_registry()
        )
        return cls(settings, database, http, rasa, service, exports)

    async def close(self) -> None:
        await self.http.aclose()
        await self.database.stop()
