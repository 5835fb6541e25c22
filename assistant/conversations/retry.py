"""Background retry: messages left pending while Rasa (or its action server) failed get answered.

One task per gateway process, started and stopped with the application. Every `interval`
seconds it drains the conversations that still have pending inbound messages, through
`ConversationService.retry` (same per-conversation lock and per-message SQL claim as a new
message, so two instances never send one message twice); messages newer than `interval`, or
claimed, are left to whoever is answering them. While Rasa keeps failing the delay
doubles, up to `max_interval`; the first pass that leaves nothing waiting resets it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone

from assistant.conversations.service import ConversationService
from assistant.infra.background import BackgroundTask

log = logging.getLogger(__name__)

MAX_AGE = timedelta(days=1)  # older waiting messages are left to an agent or to the person


class PendingRetry(BackgroundTask):
    task_name = "pending-retry"

    def __init__(self, service: ConversationService, interval: float, max_interval: float) -> None:
        self.service = service
        self.interval = interval
        self.max_interval = max(interval, max_interval)
        self.delay = interval

    async def run_once(self) -> bool:
        """One pass over the waiting conversations; False when Rasa still fails."""
        now = datetime.now(timezone.utc)
        before = now - timedelta(seconds=self.interval)  # newer ones are being answered
        complete = True
        repository, lease = self.service.repository, self.service.claim_lease
        for conversation in await repository.claims.with_pending(now - MAX_AGE, before, lease):
            if not await self.service.retry(conversation):
                complete = False
                break  # Rasa still fails: the others wait for the next pass
        return complete

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.delay)
            try:
                complete = await self.run_once()
            except Exception as exc:  # storage down, or anything else: try again later
                log.warning("pending retry failed: %s", exc)
                complete = False
            self.delay = self.interval if complete else min(self.delay * 2, self.max_interval)
