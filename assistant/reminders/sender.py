"""Sends the reminders that are due, once, from whichever gateway instance claims them first.

One task per gateway process, started and stopped with the application, every `interval` seconds
(20 by default: a due reminder goes out within a minute). A group (one conversation's due
reminders of one kind) is claimed by one conditional UPDATE, so that two instances never both send
it; a claim older than `lease` was lost with its instance and is taken over (then sent at least
once). Outside the sending hours the group waits for the next opening. A provider failure retries
after 1, 2, 4… minutes (at most an hour), within the sending hours, `max_attempts` times; a number
that sent STOP cancels it. Consent is checked in the claim and again just before sending.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast

from assistant.conversations.models import Conversation
from assistant.conversations.ports import ChannelLookup, DeliveryFailed, Notifies, RecipientRefused
from assistant.conversations.repository import ConversationRepository
from assistant.infra.background import BackgroundTask
from assistant.reminders import messages as m
from assistant.reminders.repository import ReminderRepository
from assistant.reminders.schedule import Policy

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2**attempts), MAX_BACKOFF)


class ReminderSender(BackgroundTask):
    task_name = "reminders"

    def __init__(
        self,
        repository: ReminderRepository,
        conversations: ConversationRepository,
        channels: ChannelLookup,
        policy: Policy,
        clock: Callable[[], datetime],
        interval: float = 20.0,
        lease: timedelta = timedelta(minutes=5),
        max_attempts: int = 6,
    ) -> None:
        self.repository = repository
        self.conversations = conversations
        self.channels = channels
        self.policy = policy
        self.clock = clock
        self.interval = interval
        self.lease = lease
        self.max_attempts = max_attempts

    async def run_once(self) -> int:
        """Send every group due now; the number of messages sent."""
        sent = 0
        now = self.clock()
        for conversation_id, kind in await self.repository.due_groups(now, self.lease):
            token = secrets.token_hex(8)
            rows = await self.repository.claim(conversation_id, kind, token, now, self.lease)
            if not rows:
                continue  # another instance has them, or consent was withdrawn
            if not self.policy.allowed(now):  # the gateway was down at the planned time
                await self.repository.postpone(token, self.policy.next_allowed(now))
                continue
            try:
                sent += await self._send(rows, kind, token, now)
            except RecipientRefused:
                await self.repository.cancel(token)
            except Exception as exc:  # the provider, or anything else: try again later
                attempts = int(rows[0]["attempts"] or 0)
                retry_at = self.policy.next_allowed(now + backoff(attempts))
                log.warning("reminder not sent (attempt %d): %s", attempts + 1, exc)
                await self.repository.failed(token, retry_at, self.max_attempts)
        return sent

    async def _send(self, rows: list[dict[str, Any]], kind: str, token: str, now: datetime) -> int:
        first = rows[0]
        batch = min(int(r["id"]) for r in rows)
        today = now.astimezone(self.policy.zone).date()
        message = m.reminder(rows, batch, today) if kind == "before" else m.followup(rows, batch, today)
        channel = self.channels.get(str(first["channel"]))
        if not await self.repository.still_claimed(token):
            return 0  # withdrawn since the claim
        target = await self._target(first)
        stored = await self.conversations.add_outbound(target.id, "bot", channel.renderer.render([message]))
        try:
            await cast(Notifies, channel).notify(target, stored)
        except DeliveryFailed:
            await self.repository.forget_messages([s.id for s in stored])
            raise
        await self.repository.sent(token, now)
        return 1

    async def _target(self, row: dict[str, Any]) -> Conversation:
        """The conversation on the reminder's channel and address (one is opened for a number
        given on the web: the person's answers by SMS then land where the reminders are)."""
        channel, address = str(row["channel"]), str(row["address"])
        own = await self.conversations.get(str(row["conversation_id"]))
        if own is not None and own.channel == channel and own.sender_ref == address:
            return own
        found = await self.conversations.find_by_sender(channel, address)
        return found if found is not None else await self.conversations.create(channel, address)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.run_once()
            except Exception as exc:  # storage down: the next pass tries again
                log.warning("reminder pass failed: %s", exc)
