"""The channels the gateway knows, by name."""

from __future__ import annotations

import httpx

from assistant.config import Settings
from assistant.infra.ratelimit import RateLimiter
from assistant.storage import Database
from channels.base import ChannelAdapter
from channels.dedup import Deduplicator
from channels.web import WebChannel


class ChannelRegistry:
    def __init__(self, adapters: list[ChannelAdapter]) -> None:
        self.adapters = {adapter.name: adapter for adapter in adapters}

    def get(self, name: str) -> ChannelAdapter:
        """The adapter of a channel; unknown names fall back to the web one."""
        return self.adapters.get(name) or self.adapters["web"]

    def register(self, adapter: ChannelAdapter) -> None:
        self.adapters[adapter.name] = adapter


def default_registry() -> ChannelRegistry:
    return ChannelRegistry([WebChannel()])


def registry_from_settings(
    settings: Settings, http: httpx.AsyncClient, database: Database, limiter: RateLimiter, dedup: Deduplicator
) -> ChannelRegistry:
    """The web channel, plus Telegram and SMS when their settings are complete."""
    from channels.sms import SmsChannel
    from channels.telegram import TelegramChannel

    registry = default_registry()
    if settings.telegram_configured:
        registry.register(TelegramChannel(settings, database, limiter, dedup))
    if settings.sms_configured:
        registry.register(SmsChannel(settings, http, database, limiter, dedup))
    return registry
