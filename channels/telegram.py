"""The Telegram channel (python-telegram-bot): updates in, inline keyboards and messages out."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Sequence
from typing import Any, Optional

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from assistant import texts
from assistant.config import Settings
from assistant.conversations.inputs import MAX_TEXT_CHARS, clean_text
from assistant.conversations.limits import over_limit
from assistant.conversations.models import Button, Conversation, StoredMessage
from assistant.conversations.ports import DeliveryFailed, RecipientRefused
from assistant.conversations.service import ConversationService
from assistant.infra.ratelimit import RateLimiter
from channels.base import InboundServices
from channels.dedup import Deduplicator
from channels.rendering import Renderer, split_text
from channels.tasks import TaskSet

log = logging.getLogger(__name__)

NAME = "telegram"
TELEGRAM_MAX_CHARS = 4096
CALLBACK_DATA_MAX_BYTES = 64
REFERENCE_PREFIX = "#"  # callback data "#<message id>:<button index>": the payload is read from the store
ALLOWED_UPDATES = ["message", "callback_query"]


def telegram_renderer() -> Renderer:
    return Renderer(NAME, TELEGRAM_MAX_CHARS)


def build_application(settings: Settings, polling: bool = False) -> Application[Any, Any, Any, Any, Any, Any]:
    """The bot, in the style of python-telegram-bot's custom webhook example (no updater)."""
    builder = Application.builder().token(settings.telegram_bot_token)
    if not polling:
        builder = builder.updater(None)
    if settings.telegram_api_base_url:
        builder = builder.base_url(f"{settings.telegram_api_base_url}/bot")
        builder = builder.base_file_url(f"{settings.telegram_api_base_url}/file/bot")
    return builder.build()


def callback_data(message_id: int, index: int, payload: str) -> str:
    """The payload itself when it fits in Telegram's 64 bytes, else a reference to the stored button."""
    if len(payload.encode("utf-8")) <= CALLBACK_DATA_MAX_BYTES and not payload.startswith(REFERENCE_PREFIX):
        return payload
    return f"{REFERENCE_PREFIX}{message_id}:{index}"


def parse_reference(data: str) -> Optional[tuple[int, int]]:
    if not data.startswith(REFERENCE_PREFIX):
        return None
    message_id, _, index = data[len(REFERENCE_PREFIX) :].partition(":")
    if not (message_id.isdigit() and index.isdigit()):
        return None
    return int(message_id), int(index)


def keyboard(message: StoredMessage) -> Optional[InlineKeyboardMarkup]:
    if not message.buttons:
        return None
    rows = [
        [InlineKeyboardButton(b.title, callback_data=callback_data(message.id, i, b.payload))]
        for i, b in enumerate(message.buttons)
    ]
    return InlineKeyboardMarkup(rows)


class TelegramChannel:
    """Webhook updates are processed in the background; replies go out with sendMessage."""

    name = NAME

    def __init__(self, settings: Settings, limiter: RateLimiter, dedup: Deduplicator) -> None:
        self.renderer = telegram_renderer()
        self.secret = settings.telegram_webhook_secret
        self.application = build_application(settings)
        self.bot = self.application.bot
        self.limiter = limiter
        self.dedup = dedup
        self.tasks = TaskSet()

    async def start(self) -> None:
        """Check the token (getMe); a Telegram outage must not stop the gateway from starting."""
        try:
            await self.application.initialize()
        except TelegramError as exc:
            log.error("telegram bot not initialised: %s", exc)

    async def close(self) -> None:
        await self.tasks.drain()
        await self.application.shutdown()
        await self.bot.shutdown()  # also when initialize() failed half-way

    def secret_matches(self, header: Optional[str]) -> bool:
        if not self.secret or header is None:
            return False
        return hmac.compare_digest(header.encode("utf-8"), self.secret.encode("utf-8"))

    def accept(self, data: dict[str, Any], services: InboundServices) -> None:
        """Called by the webhook, which answers Telegram at once; ValueError for an unreadable update."""
        try:
            update = Update.de_json(data, self.bot)
        except (TelegramError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"unreadable update: {exc}") from exc
        self.tasks.spawn(self.handle_update(update, services), name=f"telegram-{update.update_id}")

    async def handle_update(self, update: Update, services: InboundServices) -> None:
        """One update, once: /start, a text message, or a pressed button."""
        service = services.conversations
        if not await self.dedup.first_seen(NAME, str(update.update_id)):
            log.info("duplicate telegram update %s ignored", update.update_id)
            return
        chat = update.effective_chat
        if chat is None:
            return
        chat_id = str(chat.id)
        async with service.locks.hold(f"{NAME}:{chat_id}"):
            if update.callback_query is not None:
                await self._on_callback(update.callback_query, chat_id, service)
            elif update.message is not None and update.message.text:
                text = update.message.text
                if text.split(maxsplit=1)[0].split("@")[0] == "/start":
                    await self._on_start(chat_id, service)
                else:
                    await self._on_text(chat_id, text, services)

    async def _on_start(self, chat_id: str, service: ConversationService) -> None:
        existing = await service.repository.find_by_sender(NAME, chat_id)
        if existing is not None:
            refusal = await over_limit(self.limiter, service, existing, self._key(chat_id), "/start", None)
            if refusal is not None:
                await self.deliver(existing, refusal.notice)
                return
        else:
            await self.limiter.check(self._key(chat_id))
        conversation, welcome = await service.start(NAME, chat_id)
        await self.deliver(conversation, welcome)

    async def _conversation(self, chat_id: str, service: ConversationService) -> Conversation:
        conversation = await service.repository.find_by_sender(NAME, chat_id)
        if conversation is None:
            conversation, welcome = await service.start(NAME, chat_id)
            await self.deliver(conversation, welcome)
        return conversation

    async def _on_text(self, chat_id: str, raw: str, services: InboundServices) -> None:
        text = clean_text(raw)[:MAX_TEXT_CHARS]
        if not text:
            return
        if await services.linking.handle_message(self, chat_id, text, self.limiter):
            return  # "CODE" / "CODE K7P2QX": continuity across channels, never sent to Rasa
        service = services.conversations
        await self._forward(await self._conversation(chat_id, service), chat_id, text, None, service)

    async def _on_callback(self, query: CallbackQuery, chat_id: str, service: ConversationService) -> None:
        try:
            await query.answer()
        except TelegramError as exc:
            log.warning("answerCallbackQuery failed: %s", exc)
        conversation = await self._conversation(chat_id, service)
        button = await self._pressed(query, conversation, service)
        if button is None:
            log.info("unknown button pressed", extra={"conversation_id": conversation.id})
            return
        await self._forward(conversation, chat_id, button.title, button.payload, service)

    async def _pressed(
        self, query: CallbackQuery, conversation: Conversation, service: ConversationService
    ) -> Optional[Button]:
        data = query.data or ""
        reference = parse_reference(data)
        if reference is not None:
            buttons = await service.repository.message_buttons(conversation.id, reference[0])
            return buttons[reference[1]] if reference[1] < len(buttons) else None
        if not data:
            return None
        title = data
        markup = query.message.reply_markup if isinstance(query.message, Message) else None
        for row in markup.inline_keyboard if isinstance(markup, InlineKeyboardMarkup) else ():
            title = next((b.text for b in row if b.callback_data == data), title)
        return Button(title, data)

    async def _forward(
        self,
        conversation: Conversation,
        chat_id: str,
        text: Optional[str],
        payload: Optional[str],
        service: ConversationService,
    ) -> None:
        refusal = await over_limit(self.limiter, service, conversation, self._key(chat_id), text, payload)
        if refusal is not None:
            await self.deliver(conversation, refusal.notice)
            return
        await self.deliver(conversation, await service.handle_inbound(conversation, text, payload))

    @staticmethod
    def _key(chat_id: str) -> str:
        return f"{NAME}:{chat_id}"

    async def deliver(self, conversation: Conversation, messages: Sequence[StoredMessage]) -> None:
        """sendMessage for each message, at most 4,096 characters each, buttons as inline keyboards;
        a failure is logged (the messages are in the transcript)."""
        if conversation.sender_ref is None:
            return
        try:
            await self.notify(conversation, messages)
        except DeliveryFailed as exc:
            log.warning("telegram delivery failed: %s", exc, extra={"conversation_id": conversation.id})

    async def notify(self, conversation: Conversation, messages: Sequence[StoredMessage]) -> None:
        """Like `deliver`, for messages the gateway sends first (reminders): a failure raises,
        so that the sender tries again; a chat that blocked the bot is never tried again."""
        if conversation.sender_ref is None:
            raise RecipientRefused("no chat")
        for message in messages:
            if not message.text and not message.buttons:
                continue
            parts = split_text(message.text or texts.text("channel_choose"), TELEGRAM_MAX_CHARS)
            for i, part in enumerate(parts):
                markup = keyboard(message) if i == len(parts) - 1 else None
                try:
                    await self.bot.send_message(
                        chat_id=conversation.sender_ref, text=part, reply_markup=markup
                    )
                except Forbidden as exc:
                    raise RecipientRefused(str(exc)) from exc
                except TelegramError as exc:
                    raise DeliveryFailed(str(exc)) from exc
