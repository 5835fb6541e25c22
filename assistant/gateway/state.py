"""The composition root: every long-lived object of one gateway process, built in the lifespan.

This is the only place that wires concrete classes together, each at construction: storage,
Redis, broker and locks, the channels (which know no service), then the services (which know
the channels only through `ChannelLookup`), then what the routes need.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

import aiohttp
import httpx
import yaml
from redis.asyncio import Redis

from assistant.auth.passwords import PasswordWorkers
from assistant.auth.repository import AgentRepository
from assistant.auth.throttle import LoginThrottle
from assistant.config import PROJECT_ROOT, Settings
from assistant.conversations.dead_letter import DeadLetters
from assistant.conversations.locks import ConversationLocks, RedisConversationLocks
from assistant.conversations.observers import Observers
from assistant.conversations.payloads import PayloadGuard
from assistant.conversations.rasa_client import RasaClient
from assistant.conversations.repository import ConversationRepository
from assistant.conversations.retry import PendingRetry
from assistant.conversations.service import ConversationService
from assistant.conversations.web_clients import WebClientMessages
from assistant.feedback.repository import FeedbackRepository
from assistant.handoff.hours import OpeningHours
from assistant.handoff.repository import HandoffRepository
from assistant.handoff.service import HandoffService
from assistant.infra.broker import Broker, MemoryBroker
from assistant.infra.broker_redis import RedisBroker
from assistant.infra.metrics import Metrics
from assistant.infra.ratelimit import RateLimiter, limit_storage, make_rate_limiter
from assistant.linking.repository import LinkCodeRepository
from assistant.linking.service import ATTEMPT_WINDOW_SECONDS, MAX_ATTEMPTS, LinkingService
from assistant.plans.repository import PlanExportRepository
from assistant.reminders.consents import ConsentRepository
from assistant.reminders.repository import ReminderRepository
from assistant.reminders.schedule import Policy, parse_offsets
from assistant.reminders.sender import ReminderSender
from assistant.reminders.service import ReminderService
from assistant.review.repository import ReviewRepository
from assistant.satisfaction.repository import SatisfactionRepository
from assistant.satisfaction.sensitive import sensitive_situations
from assistant.satisfaction.service import SatisfactionService
from assistant.satisfaction.turns import TurnInsights
from assistant.stats.situations import SituationRepository
from assistant.stats.summary import StatsService
from assistant.storage import Database
from channels.base import ChannelAdapter, InboundServices
from channels.dedup import Deduplicator, RedisDeduplicator, SqlDeduplicator
from channels.registry import ChannelRegistry
from channels.runtime import ChannelRuntime
from channels.sms import SmsChannel
from channels.sms_store import SmsRecipients
from channels.telegram import TelegramChannel
from channels.web import WebChannel

LOGIN_WINDOW_SECONDS = 300
CREATION_WINDOW_SECONDS = 600  # conversations opened per client address
REDIS_PING_SECONDS = 3.0
REDIS_TIMEOUT = 3.0  # seconds: a Redis that hangs counts as down (rate limits fail open, dedup in SQL)
CANNED_REPLIES = Path(__file__).resolve().parent.parent / "templates" / "canned_replies.fr.yml"


def load_canned_replies() -> list[dict[str, str]]:
    data = yaml.safe_load(CANNED_REPLIES.read_text(encoding="utf-8")) or []
    return [{"title": str(r["title"]), "text": str(r["text"])} for r in data]


def redis_client(settings: Settings) -> Optional[Redis[bytes]]:
    """Shared by every gateway instance when REDIS_URL is set; None otherwise."""
    if not settings.redis_url:
        return None
    return Redis.from_url(
        settings.redis_url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
    )


async def redis_healthy(client: Redis[bytes]) -> bool:
    """Redis answers a ping within REDIS_PING_SECONDS (health check; Rasa's stores when shared)."""
    try:
        return bool(await asyncio.wait_for(client.ping(), REDIS_PING_SECONDS))
    except Exception:  # refused, timed out, reset: down
        return False


def shared_broker_and_locks(
    settings: Settings, redis: Optional[Redis[bytes]]
) -> tuple[Broker, ConversationLocks]:
    """In process by default; with REDIS_URL, shared by every gateway instance through Redis."""
    if redis is None:
        return MemoryBroker(), ConversationLocks()
    prefix = settings.redis_key_prefix
    return RedisBroker(redis, prefix), RedisConversationLocks(
        redis, prefix, settings.conversation_lock_seconds
    )


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def reminder_policy(settings: Settings) -> Policy:
    start, end = settings.reminder_window
    return Policy(
        offsets=parse_offsets(settings.reminder_days_before),
        timezone=settings.timezone,
        start_hour=start,
        end_hour=end,
        send_hour=settings.reminder_send_hour,
    )


def build_channels(
    settings: Settings,
    http: httpx.AsyncClient,
    database: Database,
    broker: Broker,
    redis: Optional[Redis[bytes]],
    limiter: RateLimiter,
) -> ChannelRuntime:
    """The web channel, plus Telegram and SMS when their settings are complete."""
    prefix = settings.redis_key_prefix
    sql_dedup = SqlDeduplicator(database)  # also the fallback while Redis is down
    dedup: Deduplicator = RedisDeduplicator(redis, prefix, sql_dedup) if redis else sql_dedup
    adapters: list[ChannelAdapter] = [WebChannel(broker)]
    if settings.telegram_configured:
        adapters.append(TelegramChannel(settings, limiter, dedup))
    if settings.sms_configured:
        adapters.append(SmsChannel(settings, http, SmsRecipients(database), limiter, dedup))
    return ChannelRuntime(ChannelRegistry(adapters), limiter, dedup, redis)


@dataclass
class AppState:
    settings: Settings
    database: Database
    http: httpx.AsyncClient
    rasa: RasaClient
    conversations: ConversationService
    linking: LinkingService
    plan_exports: PlanExportRepository
    agents: AgentRepository
    handoffs: HandoffService
    broker: Broker
    logins: LoginThrottle
    creations: RateLimiter  # conversations opened per client address
    canned_replies: list[dict[str, str]]
    feedback: FeedbackRepository
    channel_runtime: ChannelRuntime
    web_clients: WebClientMessages
    retry: PendingRetry
    reminders: ReminderService
    reminder_sender: ReminderSender
    stats: StatsService
    review: ReviewRepository
    metrics: Metrics = field(default_factory=Metrics)

    @property
    def inbound(self) -> InboundServices:
        """What the Telegram and SMS webhooks hand their messages to."""
        return InboundServices(self.conversations, self.linking, self.reminders)

    @classmethod
    async def create(cls, settings: Settings) -> AppState:
        database = Database(settings.sqlalchemy_url)
        await database.start()
        http = httpx.AsyncClient(limits=httpx.Limits(max_connections=200, max_keepalive_connections=50))
        # Every message goes to Rasa and the action server through this one (rasa_client.py).
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200))
        rasa = RasaClient(settings.rasa_base_urls, settings.rasa_token, settings.rasa_timeout, session)
        redis = redis_client(settings)
        broker, locks = shared_broker_and_locks(settings, redis)
        limits = limit_storage(settings.redis_url)
        prefix = settings.redis_key_prefix
        limiter = make_rate_limiter(settings.rate_limit_per_minute, limits, f"{prefix}:rl")
        runtime = build_channels(settings, http, database, broker, redis, limiter)
        await runtime.start()
        repository = ConversationRepository(database)
        exports = PlanExportRepository(database)
        hours = OpeningHours.parse(settings.opening_hours, settings.timezone)
        handoffs = HandoffService(HandoffRepository(database), repository, broker, hours, runtime.registry)
        feedback = FeedbackRepository(database)
        metrics = Metrics()
        review = ReviewRepository(database)
        situations = SituationRepository(database)
        satisfaction = SatisfactionService(
            SatisfactionRepository(database),
            situations,
            review,
            sensitive_situations(PROJECT_ROOT / "domain.yml"),
        )
        policy = reminder_policy(settings)
        reminder_records = ReminderRepository(database)
        reminders = ReminderService(
            ConsentRepository(database), reminder_records, policy, utcnow, runtime.registry.names()
        )
        service = ConversationService(
            repository,
            rasa,
            exports,
            settings.public_url,
            runtime.registry,
            handoffs,
            feedback,
            locks,
            actions_healthy=lambda: rasa.actions_healthy(settings.action_base_url),
            # With REDIS_URL, Rasa's tracker and lock stores are in that Redis (assistant/ops/stack.py):
            # while it is down every turn is lost, and no message is to blame.
            stores_healthy=(lambda: redis_healthy(redis)) if redis is not None else None,
            claim_lease=timedelta(seconds=settings.rasa_timeout + 60),
            metrics=metrics,
            payloads=PayloadGuard(database),
            dead_letters=DeadLetters(database),
            observer=Observers(reminders, TurnInsights(satisfaction, situations, review)),
        )
        attempts = make_rate_limiter(MAX_ATTEMPTS, limits, f"{prefix}:link", ATTEMPT_WINDOW_SECONDS)
        all_attempts = make_rate_limiter(
            settings.link_attempts_global, limits, f"{prefix}:link-all", ATTEMPT_WINDOW_SECONDS
        )

        def login_limit(limit: int, name: str) -> RateLimiter:
            return make_rate_limiter(limit, limits, f"{prefix}:{name}", LOGIN_WINDOW_SECONDS)

        return cls(
            settings=settings,
            database=database,
            http=http,
            rasa=rasa,
            conversations=service,
            linking=LinkingService(service, LinkCodeRepository(database), attempts, all_attempts),
            plan_exports=exports,
            agents=AgentRepository(database, PasswordWorkers(settings.password_workers)),
            handoffs=handoffs,
            broker=broker,
            logins=LoginThrottle(
                per_client=login_limit(settings.login_attempts_per_client, "login-client"),
                per_username=login_limit(settings.login_attempts_per_window, "login"),
                overall=login_limit(settings.login_attempts_global, "login-all"),
            ),
            creations=make_rate_limiter(
                settings.conversations_per_client, limits, f"{prefix}:open", CREATION_WINDOW_SECONDS
            ),
            canned_replies=load_canned_replies(),
            feedback=feedback,
            channel_runtime=runtime,
            web_clients=WebClientMessages(database),
            metrics=metrics,
            retry=PendingRetry(service, settings.retry_interval, settings.retry_max_interval),
            reminders=reminders,
            reminder_sender=ReminderSender(
                reminder_records,
                repository,
                runtime.registry,
                policy,
                utcnow,
                interval=settings.reminder_interval,
                max_attempts=settings.reminder_max_attempts,
            ),
            stats=StatsService(database),
            review=review,
        )

    async def close(self) -> None:
        await self.retry.stop()
        await self.reminder_sender.stop()
        if isinstance(self.broker, RedisBroker):
            await self.broker.close()
        await self.channel_runtime.close()
        await self.http.aclose()
        await self.rasa.session.close()
        await self.database.stop()
        self.agents.passwords.close()
