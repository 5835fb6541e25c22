"""Continuity across channels, only on the person's request: a short code shown on one channel,
sent from another, moves the conversation there. Never by guess.

- A code is 6 characters from an alphabet without 0/O/1/I/L, drawn with `secrets`, valid 15
  minutes, single-use, stored only as its SHA-256 (`link_codes`); a new code revokes the previous
  one of the same conversation (at most `MAX_ACTIVE_CODES` active).
- Redeeming moves the conversation (`channel`, `sender_ref`): `find_by_sender` then finds it on
  the new channel and every later reply, agent messages included, is delivered there. The Rasa
  tracker is the conversation id's, so the dialogue goes on where it was.
- Every redemption attempt counts against the sender's attempt limit (5 per 15 minutes).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import unicodedata
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Optional, Protocol, Union

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from assistant import texts
from assistant.conversations.models import Conversation, OutboundMessage, StoredMessage
from assistant.infra.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from assistant.storage import Database
from assistant.storage.tables import conversations, link_codes
from channels.inbound import over_limit

if TYPE_CHECKING:
    from assistant.conversations.service import ConversationService

log = logging.getLogger(__name__)

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0, O, 1, I, L
CODE_LENGTH = 6
CODE_TTL = timedelta(minutes=15)
MAX_ACTIVE_CODES = 1  # a new code revokes the previous one
MAX_ATTEMPTS = 5
ATTEMPT_WINDOW_SECONDS = 15 * 60
REQUEST_WORD = "CODE"
MASKED = "******"

_CODE_CHAR = f"[{ALPHABET}]"
_REDEEM = re.compile(rf"^CODE\s*[:\-]?\s*((?:{_CODE_CHAR}[\s\-]*){{{CODE_LENGTH}}})$")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(code: str) -> str:
    return re.sub(r"[\s\-]", "", code).upper()


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class RequestCode:
    """The person sent "CODE" alone: they want a code for this conversation."""


@dataclass(frozen=True)
class RedeemCode:
    code: str


LinkCommand = Union[RequestCode, RedeemCode]


def parse_command(text: str) -> Optional[LinkCommand]:
    """`CODE` → RequestCode; `code k7p 2qx` → RedeemCode("K7P2QX"); anything else → None.

    Only the code alphabet is accepted after "CODE", so "code postal" or "code 75011" still go
    to the dialogue.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    folded = folded.strip(" \t\r\n.!?,;:'\"").upper()
    if folded == REQUEST_WORD:
        return RequestCode()
    match = _REDEEM.match(folded)
    return RedeemCode(normalise(match.group(1))) if match else None


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_at: datetime


class LinkCodeRepository:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def issue(self, conversation_id: str) -> IssuedCode:
        """A fresh code; older active codes beyond `MAX_ACTIVE_CODES - 1` are revoked (deleted)."""
        for _ in range(5):
            now = self.clock()
            code = new_code()
            expires_at = now + CODE_TTL
            try:
                async with self.db.connect() as conn:
                    await conn.execute(link_codes.delete().where(link_codes.c.expires_at < now - CODE_TTL))
                    active = (
                        await conn.execute(
                            sa.select(link_codes.c.code_hash)
                            .where(
                                link_codes.c.conversation_id == conversation_id,
                                link_codes.c.used_at.is_(None),
                                link_codes.c.expires_at > now,
                            )
                            .order_by(link_codes.c.created_at.desc())
                        )
                    ).all()
                    revoked = [h for (h,) in active[max(MAX_ACTIVE_CODES - 1, 0) :]]
                    if revoked:
                        await conn.execute(link_codes.delete().where(link_codes.c.code_hash.in_(revoked)))
                    await conn.execute(
                        link_codes.insert().values(
                            code_hash=code_hash(code),
                            conversation_id=conversation_id,
                            created_at=now,
                            expires_at=expires_at,
                        )
                    )
            except IntegrityError:  # the same hash already stored: draw again
                continue
            return IssuedCode(code, expires_at)
        raise RuntimeError("no free link code")

    async def redeem(self, code: str) -> tuple[str, Optional[str]]:
        """("ok", conversation id) once; ("expired" | "used" | "invalid", None) otherwise."""
        now = self.clock()
        digest = code_hash(code)
        async with self.db.connect() as conn:
            used = await conn.execute(
                link_codes.update()
                .where(
                    link_codes.c.code_hash == digest,
                    link_codes.c.used_at.is_(None),
                    link_codes.c.expires_at > now,
                )
                .values(used_at=now)
            )
            row = (
                (await conn.execute(link_codes.select().where(link_codes.c.code_hash == digest)))
                .mappings()
                .first()
            )
        if row is None:
            return "invalid", None
        if used.rowcount == 1:
            return "ok", str(row["conversation_id"])
        if row["used_at"] is not None:
            return "used", None
        return "expired", None

    async def move(self, conversation_id: str, channel: str, sender_ref: Optional[str]) -> None:
        """The conversation now belongs to (channel, sender_ref). Later conversations of that sender
        would hide it from `find_by_sender` (the latest wins): they are detached from the sender."""
        async with self.db.connect() as conn:
            row = (
                await conn.execute(
                    sa.select(conversations.c.created_at).where(conversations.c.id == conversation_id)
                )
            ).first()
            if row is None:
                return
            if sender_ref is not None:
                await conn.execute(
                    conversations.update()
                    .where(
                        conversations.c.channel == channel,
                        conversations.c.sender_ref == sender_ref,
                        conversations.c.id != conversation_id,
                        conversations.c.created_at >= row[0],
                    )
                    .values(sender_ref=None)
                )
            await conn.execute(
                conversations.update()
                .where(conversations.c.id == conversation_id)
                .values(channel=channel, sender_ref=sender_ref, updated_at=self.clock())
            )


_ATTEMPT_LIMITERS: weakref.WeakKeyDictionary[object, RateLimiter] = weakref.WeakKeyDictionary()


def attempt_limiter(limiter: RateLimiter) -> RateLimiter:
    """The link-code attempt limit (5 per 15 minutes), built beside the channels' rate limiter:
    in Redis when that one is (shared by every gateway instance), in memory otherwise."""
    found = _ATTEMPT_LIMITERS.get(limiter)
    if found is None:
        if isinstance(limiter, RedisRateLimiter):
            found = RedisRateLimiter(
                limiter.client, f"{limiter.prefix}:link", MAX_ATTEMPTS, ATTEMPT_WINDOW_SECONDS
            )
        else:
            found = MemoryRateLimiter(MAX_ATTEMPTS, ATTEMPT_WINDOW_SECONDS)
        _ATTEMPT_LIMITERS[limiter] = found
    return found


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
    def __init__(
        self,
        service: ConversationService,
        attempts: RateLimiter,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.service = service
        self.attempts = attempts
        self.codes = LinkCodeRepository(service.repository.db, clock)

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
        if await self.attempts.hit(attempt_key) > self.attempts.limit:
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


class Deliverer(Protocol):
    name: str

    async def deliver(self, conversation: Conversation, messages: Sequence[StoredMessage]) -> None: ...


async def handle_link_message(
    service: ConversationService,
    channel: Deliverer,
    sender_ref: str,
    text: str,
    limiter: RateLimiter,
) -> bool:
    """Telegram and SMS: answer "CODE" and "CODE K7P2QX" here, before Rasa. False: not for us."""
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
    elif await limiter.hit(key) > limiter.limit:
        return True  # no conversation yet to store it in: dropped, like any flood

    linking = LinkingService(service, attempt_limiter(limiter))
    if isinstance(command, RequestCode):
        if conversation is None:
            conversation, _ = await service.start(name, sender_ref)  # the welcome is stored only
        async with service.locks.hold(conversation.id):
            await repository.add_inbound(conversation.id, stored_text, None, status="done")
            issued = await linking.request_code(conversation)
            (stored,) = await repository.add_outbound(
                conversation.id, "system", [OutboundMessage(text=texts.text("link_code_stored"))]
            )
        # the code itself is sent, never kept in the transcript (only its hash is stored)
        await channel.deliver(conversation, [replace(stored, text=texts.text("link_code", code=issued.code))])
        return True

    result = await linking.redeem(command.code, name, sender_ref, key, inbound_text=stored_text)
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
