"""The SMS channel, through a provider speaking Twilio's webhook and REST formats."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Optional

import httpx

from assistant import texts
from assistant.config import Settings
from assistant.conversations.inputs import MAX_TEXT_CHARS, clean_text
from assistant.conversations.limits import over_limit
from assistant.conversations.models import Conversation, OutboundMessage, StoredMessage
from assistant.conversations.ports import DeliveryFailed, RecipientRefused
from assistant.conversations.service import ConversationService
from assistant.infra.ratelimit import RateLimiter
from channels.base import InboundServices
from channels.dedup import Deduplicator
from channels.rendering import Renderer
from channels.sms_rendering import SmsRenderer
from channels.sms_segments import fit
from channels.sms_store import SmsRecipients
from channels.tasks import TaskSet

log = logging.getLogger(__name__)

NAME = "sms"
MAX_SEGMENTS_PER_TURN = 3
STOP_WORDS = {"STOP", "ARRET"}
START_WORDS = {"START"}
MORE_WORD = "SUITE"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def twilio_signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """Twilio's algorithm: base64 HMAC-SHA1 over the URL and the POST params sorted by name."""
    data = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode("utf-8"), data.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def keyword(text: str) -> str:
    """`Arrêt.` → `ARRET`: upper case, no accents, no surrounding punctuation."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return folded.strip(" \t\r\n.!?,;:'\"").upper()


class SmsChannel:
    """Inbound SMS are processed in the background; replies go out through the provider's API."""

    name = NAME

    def __init__(
        self,
        settings: Settings,
        http: httpx.AsyncClient,
        recipients: SmsRecipients,
        limiter: RateLimiter,
        dedup: Deduplicator,
    ) -> None:
        self.renderer: Renderer = SmsRenderer(settings.public_url)
        self.http = http
        self.limiter = limiter
        self.dedup = dedup
        self.auth_token = settings.sms_auth_token
        self.from_number = settings.sms_from_number
        self.auth = (settings.sms_account_sid, settings.sms_auth_token)
        self.api_url = (
            f"{settings.sms_api_base_url}/2010-04-01/Accounts/{settings.sms_account_sid}/Messages.json"
        )
        self.recipients = recipients
        self.tasks = TaskSet()

    async def start(self) -> None:
        """Nothing to open: the HTTP client is the gateway's."""

    async def close(self) -> None:
        await self.tasks.drain()

    def signature_valid(self, url: str, params: Iterable[tuple[str, str]], signature: Optional[str]) -> bool:
        if not signature:
            return False
        expected = twilio_signature(self.auth_token, url, params)
        return hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8", "replace"))

    def accept(self, sender: str, body: str, message_sid: str, services: InboundServices) -> None:
        """Called by the webhook, which answers the provider at once."""
        self.tasks.spawn(self.handle(sender, body, message_sid, services), name=f"sms-{message_sid}")

    async def handle(self, sender: str, body: str, message_sid: str, services: InboundServices) -> None:
        if not await self.dedup.first_seen(NAME, message_sid):
            log.info("duplicate SMS %s ignored", message_sid)
            return
        text = clean_text(body)[:MAX_TEXT_CHARS]
        if not text:
            return
        async with services.conversations.locks.hold(f"{NAME}:{sender}"):
            await self._handle(sender, text, services)

    async def _handle(self, sender: str, text: str, services: InboundServices) -> None:
        service = services.conversations
        conversation = await service.repository.find_by_sender(NAME, sender)
        word = keyword(text)
        opted_out = await self.recipients.opted_out(sender)
        if conversation is None:  # the welcome is stored, not sent: the person already wrote
            conversation, _ = await service.start(NAME, sender)
            if word not in STOP_WORDS and not opted_out:  # but the privacy notice comes first
                await self._confirm(service, conversation, texts.text("sms_privacy_notice"))
        if word in STOP_WORDS:
            await self._store(service, conversation, text)
            if services.reminders is not None:
                await services.reminders.withdraw_address(NAME, sender)
            if not opted_out:
                await self.recipients.set_opted_out(sender, True)
                await self._confirm(service, conversation, texts.text("sms_stopped"))
            return
        if word in START_WORDS and opted_out:
            await self._store(service, conversation, text)
            await self.recipients.set_opted_out(sender, False)
            await self._confirm(service, conversation, texts.text("sms_started"))
            return
        if opted_out:
            await self._store(service, conversation, text, status="opted_out")
            return
        if await services.linking.handle_message(self, sender, text, self.limiter):
            return  # "CODE" / "CODE K7P2QX": continuity across channels, never sent to Rasa
        refusal = await over_limit(self.limiter, service, conversation, f"{NAME}:{sender}", text, None)
        if refusal is not None:
            await self.deliver(conversation, refusal.notice)
            return
        if word == MORE_WORD:
            rest = await self.recipients.pending(sender)
            if rest:
                await self._store(service, conversation, text)
                await self._send_turn(sender, rest)
                return
        payload = None
        if text.isdigit():
            buttons = await service.repository.last_buttons(conversation.id)
            if 1 <= int(text) <= len(buttons):
                payload = buttons[int(text) - 1].payload
        await self.deliver(conversation, await service.handle_inbound(conversation, text, payload))

    async def _store(
        self, service: ConversationService, conversation: Conversation, text: str, status: str = "done"
    ) -> None:
        """Messages answered by the channel itself are stored, never sent to the dialogue."""
        await service.repository.add_inbound(conversation.id, text, None, status=status)

    async def _confirm(self, service: ConversationService, conversation: Conversation, text: str) -> None:
        """STOP and START confirmations: stored, then sent even to a number that just opted out."""
        await service.repository.add_outbound(conversation.id, "system", [OutboundMessage(text=text)])
        if conversation.sender_ref is not None:
            await self._post(conversation.sender_ref, text)

    async def deliver(self, conversation: Conversation, messages: Sequence[StoredMessage]) -> None:
        """One SMS per turn, at most three parts; the rest waits for "SUITE". Never after STOP."""
        body = "\n\n".join(m.text for m in messages if m.text)
        if not body or conversation.sender_ref is None:
            return
        if await self.recipients.opted_out(conversation.sender_ref):
            log.info("not sent: number opted out", extra={"conversation_id": conversation.id})
            return
        await self._send_turn(conversation.sender_ref, body)

    async def _send_turn(self, number: str, body: str) -> None:
        head, rest = fit(body, MAX_SEGMENTS_PER_TURN, texts.text("sms_more"))
        await self.recipients.set_pending(number, rest)
        await self._post(number, head)

    async def _post(self, number: str, body: str) -> None:
        data = {"From": self.from_number, "To": number, "Body": body}
        try:
            response = await self.http.post(self.api_url, data=data, auth=self.auth, timeout=15.0)
        except httpx.HTTPError as exc:
            log.warning("SMS not sent: %s", exc)
            return
        if response.status_code >= 400:
            log.warning("SMS refused by the provider: HTTP %s %s", response.status_code, response.text[:200])

    async def notify(self, conversation: Conversation, messages: Sequence[StoredMessage]) -> None:
        """Like `deliver`, for messages the gateway sends first (reminders): a provider failure
        raises, so that the sender tries again; a number that sent STOP is never written to."""
        body = "\n\n".join(m.text for m in messages if m.text)
        number = conversation.sender_ref
        if number is None or await self.recipients.opted_out(number):
            raise RecipientRefused("opted out")
        head, rest = fit(body, MAX_SEGMENTS_PER_TURN, texts.text("sms_more"))
        try:
            response = await self.http.post(
                self.api_url,
                data={"From": self.from_number, "To": number, "Body": head},
                auth=self.auth,
                timeout=15.0,
            )
        except httpx.HTTPError as exc:
            raise DeliveryFailed(str(exc)) from exc
        if response.status_code >= 400:
            raise DeliveryFailed(f"HTTP {response.status_code}")
        await self.recipients.set_pending(number, rest)
