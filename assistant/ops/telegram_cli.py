"""`assistant telegram set-webhook` and `assistant telegram poll` (development without a public URL)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from typing import Any, Optional

from assistant.config import Settings, SettingsError
from channels.telegram import ALLOWED_UPDATES, TelegramChannel, build_application

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/channels/telegram/webhook"
POLL_TIMEOUT_SECONDS = 30


def webhook_url(settings: Settings) -> str:
    if not settings.telegram_configured:
        raise SettingsError("TELEGRAM_BOT_TOKEN n'est pas défini")
    if not settings.public_base_url.startswith("https://") and not settings.is_development:
        raise SettingsError("PUBLIC_BASE_URL doit être une adresse https:// joignable depuis Internet")
    if not settings.telegram_webhook_secret:
        raise SettingsError("TELEGRAM_WEBHOOK_SECRET n'est pas défini")
    return settings.public_url + WEBHOOK_PATH


async def set_webhook(settings: Settings) -> str:
    """Register the gateway's webhook and its secret token with the Bot API."""
    url = webhook_url(settings)
    application = build_application(settings)
    async with application:
        await application.bot.set_webhook(
            url=url, secret_token=settings.telegram_webhook_secret, allowed_updates=ALLOWED_UPDATES
        )
    return url


async def poll(
    settings: Settings, stop: Optional[asyncio.Event] = None, timeout: int = POLL_TIMEOUT_SECONDS
) -> None:
    """Fetch updates with getUpdates and handle them as the webhook would, until `stop` is set."""
    from assistant.gateway.state import AppState

    if not settings.telegram_configured:
        raise SettingsError("TELEGRAM_BOT_TOKEN n'est pas défini")
    stop = stop or asyncio.Event()
    state = await AppState.create(settings)
    try:
        channel = state.channel_runtime.registry.adapters["telegram"]
        assert isinstance(channel, TelegramChannel)
        await channel.bot.delete_webhook()
        offset: Optional[int] = None
        while not stop.is_set():
            updates = await channel.bot.get_updates(
                offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES
            )
            for update in updates:
                offset = update.update_id + 1
                await channel.handle_update(update, state.inbound)
    finally:
        await state.close()


def _set_webhook(args: argparse.Namespace, settings: Settings) -> int:
    print(f"Webhook Telegram enregistré : {asyncio.run(set_webhook(settings))}")
    return 0


def _poll(args: argparse.Namespace, settings: Settings) -> int:
    print("Lecture des messages Telegram (getUpdates). Ctrl-C pour arrêter.", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(poll(settings))
    return 0


def register(sub: Any) -> None:
    """Add `telegram set-webhook` and `telegram poll` to the `assistant` command."""
    telegram = sub.add_parser("telegram", help="canal Telegram : webhook, mode développement")
    commands = telegram.add_subparsers(dest="telegram_command", required=True)
    commands.add_parser("set-webhook", help="enregistre le webhook auprès de Telegram").set_defaults(
        handler=_set_webhook
    )
    commands.add_parser("poll", help="lit les messages sans webhook (développement)").set_defaults(
        handler=_poll
    )
