"""Continuity across channels, only on the person's request: a short code shown on one channel,
sent from another, moves the conversation there. Never by guess.

- A code is 6 characters from an alphabet without 0/O/1/I/L, drawn with `secrets`, valid 15
  minutes, single-use, stored only as its SHA-256 (`link_codes`); a new code revokes the previous
  one of the same conversation (at most `MAX_ACTIVE_CODES` active).
- Redeeming moves the conversation (`channel`, `sender_ref`): `find_by_sender` then finds it on
  the new channel and every later reply, agent messages included, is delivered there. The Rasa
  tracker is the conversation id's, so the dialogue goes on where it was.
- Every redemption attempt counts against the sender's attempt limit (5 per 15 minutes), and
  against a limit of all senders together (`LINK_ATTEMPTS_GLOBAL` per 15 minutes), so that many
  addresses or chats cannot guess either: at 60 tries per 15 minutes and 100 live codes, guessing
  one of 31^6 codes takes 4 years on average (docs/security.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Optional

from assistant import texts
from assistant.conversations.limits import over_limit
from assistant.conversations.models import Conversation, OutboundMessage, StoredMessage
from assistant.conversations.ports import Delivery
from assistant.conversations.service import ConversationService
from assistant.infra.ratelimit import RateLimiter
from assistant.linking.codes import MASKED, REQUEST_WORD, RequestCode, parse_command
from assistant.linking.repository import IssuedCode, LinkCodeRepository

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # redemption attempts per sender and window
ATTEMPT_WINDOW_SECONDS = 15 * 60


@dataclass(frozen=True)
class Redemption:
    status: str  # "linked", "same", "invalid", "expired", "used", "blocked"
    conversation: Optional[Conversation] = None  # the moved conversation, when linked
    messages: tuple[StoredMessage, ...] = ()  # stored for the new channel, to deliver there

    @property
    def linked(self) -> bool:
        return self.status in ("linked", "same")

    @property
    def refusal(self) -> str:
        return texts.text(f"link_{self.status}")


def where(channel: str) -> str:
    try:
        return texts.text(f"channel_where_{channel}")
    except KeyError:
        return channel


def _without_sms_choices(text: str, titles: list[str]) -> str:
    """SMS messages carry their numbered choices in the text: drop them before rendering again."""
    if titles:
        cut = text.rfind(f"\n1. {titles[0]}")
        if cut > 0:
            return text[:cut].rstrip()
    return text


class LinkingService:
    """Issue and redeem codes; `attempts` limits redemptions (built by the app factory, in Redis
    when several gateway instances share the load)."""

    def __init__(
        self,
        service: ConversationService,
        codes: LinkCodeRepository,
        attempts: RateLimiter,
        all_attempts: Optional[RateLimiter] = None,
    ) -> None:
        self.service = service
        self.codes = codes
        self.attempts = attempts
        self.all_attempts = all_attempts  # every sender together (the gateway sets it)

    async def request_code(self, conversation: Conversation) -> IssuedCode:
        return await self.codes.issue(conversation.id)

    async def redeem(
        self,
        code: str,
        channel: str,
        sender_ref: Optional[str],
        attempt_key: str,
        inbound_text: Optional[str] = None,
    ) -> Redemption:
        """Check the attempt limit, use the code, move the conversation and store the confirmation."""
        if not await self.attempts.allow(attempt_key):
            return Redemption("blocked")
        if self.all_attempts is not None and not await self.all_attempts.allow("all"):
            log.warning("link code tries over the global limit")
            return Redemption("blocked")
        status, conversation_id = await self.codes.redeem(code)
        target = await self.service.repository.get(conversation_id) if conversation_id else None
        if target is None:
            return Redemption(status if status != "ok" else "invalid")
        return await self._move(target, channel, sender_ref, inbound_text)

    async def _move(
        self, target: Conversation, channel: str, sender_ref: Optional[str], inbound_text: Optional[str]
    ) -> Redemption:
        repository = self.service.repository
        async with self.service.locks.hold(target.id):
            previous = await repository.get(target.id) or target
            same = previous.channel == channel and previous.sender_ref == sender_ref
            await self.codes.move(target.id, channel, sender_ref)
            moved = replace(previous, channel=channel, sender_ref=sender_ref)
            if inbound_text is not None:
                await repository.add_inbound(target.id, inbound_text, None, status="done")
            if same:
                stored = await repository.add_outbound(
                    target.id, "system", [OutboundMessage(text=texts.text("link_same_channel"))]
                )
                return Redemption("same", moved, tuple(stored))
            pending = await self._pending_question(target.id, previous.channel)
            note = OutboundMessage(text=texts.text("link_moved", where=where(channel)))
            confirmation = OutboundMessage(
                text=texts.text("link_confirmed", previous=where(previous.channel))
            )
            system = await repository.add_outbound(target.id, "system", [note])
            stored = await repository.add_outbound(target.id, "system", [confirmation])
            if pending is not None:
                rendered = self.service.channels.get(channel).renderer.render([pending])
                stored += await repository.add_outbound(target.id, "bot", rendered)
        log.info(
            "conversation moved",
            extra={"conversation_id": target.id, "from": previous.channel, "to": channel},
        )
        try:  # the channel left behind hears of it too (the widget shows it)
            await self.service.channels.get(previous.channel).deliver(previous, system)
        except Exception as exc:  # best effort: the move is done
            log.warning("previous channel not told: %s", exc, extra={"conversation_id": target.id})
        return Redemption("linked", moved, tuple(stored))

    async def _pending_question(self, conversation_id: str, channel: str) -> Optional[OutboundMessage]:
        """The bot's last question, when the latest bot or agent message asked one (had buttons)."""
        transcript = await self.service.repository.transcript(conversation_id, limit=100_000)
        last = next((m for m in reversed(transcript) if m.role in ("bot", "agent")), None)
        if last is None or last.role != "bot" or not last.buttons:
            return None
        text = last.text or ""
        if channel == "sms":
            text = _without_sms_choices(text, [b.title for b in last.buttons])
        return OutboundMessage(text=text or None, buttons=last.buttons)

    async def handle_message(
        self, channel: Delivery, sender_ref: str, text: str, limiter: RateLimiter
    ) -> bool:
        """Telegram and SMS: answer "CODE" and "CODE K7P2QX" here, before Rasa. False: not for us."""
        service = self.service
        command = parse_command(text)
        if command is None:
            return False
        name = channel.name
        key = f"{name}:{sender_ref}"
        repository = service.repository
        conversation = await repository.find_by_sender(name, sender_ref)
        stored_text = text if isinstance(command, RequestCode) else f"{REQUEST_WORD} {MASKED}"

        if conversation is not None:
            refusal = await over_limit(limiter, service, conversation, key, stored_text, None)
            if refusal is not None:
                await channel.deliver(conversation, refusal.notice)
                return True
        elif not await limiter.allow(key):
            return True  # no conversation yet to store it in: dropped, like any flood

        if isinstance(command, RequestCode):
            if conversation is None:
                conversation, _ = await service.start(name, sender_ref)  # the welcome is stored only
            async with service.locks.hold(conversation.id):
                await repository.add_inbound(conversation.id, stored_text, None, status="done")
                issued = await self.request_code(conversation)
                (stored,) = await repository.add_outbound(
                    conversation.id, "system", [OutboundMessage(text=texts.text("link_code_stored"))]
                )
            # the code itself is sent, never kept in the transcript (only its hash is stored)
            await channel.deliver(
                conversation, [replace(stored, text=texts.text("link_code", code=issued.code))]
            )
            return True

        result = await self.redeem(command.code, name, sender_ref, key, inbound_text=stored_text)
        if result.linked and result.conversation is not None:
            await channel.deliver(result.conversation, list(result.messages))
            return True
        if conversation is None:
            conversation, _ = await service.start(name, sender_ref)
        async with service.locks.hold(conversation.id):
            await repository.add_inbound(conversation.id, stored_text, None, status="done")
            answer = await repository.add_outbound(
                conversation.id, "system", [OutboundMessage(text=result.refusal)]
            )
        await channel.deliver(conversation, answer)
        return True
