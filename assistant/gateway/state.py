"""Long-lived clients of one gateway process, built in the lifespan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import aiohttp
import httpx
import yaml

from assistant.auth.repository import AgentRepository
from assistant.config import Settings
from assistant.conversations.locks import ConversationLocks, RedisConversationLocks
from assistant.conversations.rasa_client import RasaClient
from assistant.conversations.repository import ConversationRepository
from assistant.conversations.retry import PendingRetry
from assistant.conversations.service import ConversationService
from assistant.feedback.repository import FeedbackRepository
from assistant.handoff.hours import OpeningHours
from assistant.handoff.repository import HandoffRepository
from assistant.handoff.service import HandoffService
from assistant.infra.broker import Broker, MemoryBroker
from assistant.infra.broker_redis import RedisBroker
from assistant.infra.metrics import Metrics
from assistant.infra.ratelimit import MemoryRateLimiter, RateLimiter
from assistant.plans.repository import PlanExportRepository
from assistant.storage import Database
from channels.runtime import ChannelRuntime
from channels.web import WebChannel

LOGIN_WINDOW_SECONDS = 300
CANNED_REPLIES = Path(__file__).resolve().parent.parent / "templates" / "canned_replies.fr.yml"


def load_canned_replies() -> list[dict[str, str]]:
    data = yaml.safe_load(CANNED_REPLIES.read_text(encoding="utf-8")) or []
    return [{"title": str(r["title"]), "text": str(r["text"])} for r in data]


def shared_broker_and_locks(settings: Settings, runtime: ChannelRuntime) -> tuple[Broker, ConversationLocks]:
    """In process by default; with REDIS_URL, shared by every gateway instance through Redis."""
    if runtime.redis is None:
        return MemoryBroker(), ConversationLocks()
    prefix = settings.redis_key_prefix
    return RedisBroker(runtime.redis, prefix), RedisConversationLocks(
        runtime.redis, prefix, settings.conversation_lock_seconds
    )


@dataclass
class AppState:
    settings: Settings
    database: Database
    http: httpx.AsyncClient
    rasa: RasaClient
    conversations: ConversationService
    plan_exports: PlanExportRepository
    agents: AgentRepository
    handoffs: HandoffService
    broker: Broker
    login_limiter: RateLimiter
    canned_replies: list[dict[str, str]]
    feedback: FeedbackRepository
    channel_runtime: ChannelRuntime
    retry: PendingRetry

    metrics: Metrics = field(default_factory=Metrics)

    @classmethod
    async def create(cls, settings: Settings) -> AppState:
        database = Database(settings.sqlalchemy_url)
        await database.start()
        http = httpx.AsyncClient(limits=httpx.Limits(max_connections=200, max_keepalive_connections=50))
        # Every message goes to Rasa and the action server through this one (rasa_client.py).
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200))
        rasa = RasaClient(settings.rasa_base_urls, settings.rasa_token, settings.rasa_timeout, session)
        exports = PlanExportRepository(database)
        repository = ConversationRepository(database)
        channel_runtime = await ChannelRuntime.create(settings, http, database)
        channels = channel_runtime.registry
        broker, locks = shared_broker_and_locks(settings, channel_runtime)
        web = channels.adapters.get("web")
        if isinstance(web, WebChannel):
            web.broker = broker  # agent replies and later bot messages reach the widget's sockets
        hours = OpeningHours.parse(settings.opening_hours, settings.timezone)
        handoffs = HandoffService(HandoffRepository(database), repository, broker, hours, channels)
        feedback = FeedbackRepository(database)
        service = ConversationService(
            repository,
            rasa,
            exports,
            settings.public_url,
            channels,
            handoffs,
            feedback,
            locks,
            actions_healthy=lambda: rasa.actions_healthy(settings.action_base_url),
            claim_lease=timedelta(seconds=settings.rasa_timeout + 60),
        )
        metrics = Metrics()
        service.metrics = metrics
        return cls(
            settings=settings,
            database=database,
            http=http,
            rasa=rasa,
            conversations=service,
            plan_exports=exports,
            agents=AgentRepository(database),
            handoffs=handoffs,
            broker=broker,
            login_limiter=MemoryRateLimiter(settings.login_attempts_per_window, LOGIN_WINDOW_SECONDS),
            canned_replies=load_canned_replies(),
            feedback=feedback,
            channel_runtime=channel_runtime,
            metrics=metrics,
            retry=PendingRetry(service, settings.retry_interval, settings.retry_max_interval),
        )

    async def close(self) -> None:
        await self.retry.stop()
        if isinstance(self.broker, RedisBroker):
            await self.broker.close()
        await self.channel_runtime.close()
        await self.http.aclose()
        await self.rasa.session.close()
        await self.database.stop()
