"""When to ask for satisfaction, and what the person's answers do.

Asked once per conversation (the CSAT row's primary key), at a natural end: the bot's goodbye or
thanks, the person's rating of a search answer, an agent handing the conversation back. Not before
the person has written twice, nor in a sensitive situation before SENSITIVE_MIN_MESSAGES messages.
Skipped with its button, or by writing anything else (the message then goes to the dialogue).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Optional

from assistant.conversations.models import Conversation, OutboundMessage, StoredMessage
from assistant.review.repository import ReviewRepository
from assistant.satisfaction import (
    MIN_MESSAGES,
    NEGATIVE_UP_TO,
    REASON_UP_TO,
    REASONS,
    SENSITIVE_MIN_MESSAGES,
)
from assistant.satisfaction.questions import (
    Answer,
    helpful_question,
    parse,
    reason_question,
    say,
    score_question,
)
from assistant.satisfaction.repository import SatisfactionRepository
from assistant.stats.situations import SituationRepository

MAX_COMMENT = 1000


class SatisfactionService:
    def __init__(
        self,
        repository: SatisfactionRepository,
        situations: SituationRepository,
        review: ReviewRepository,
        sensitive: Collection[str] = (),
    ) -> None:
        self.repository = repository
        self.situations = situations
        self.review = review
        self.sensitive = frozenset(sensitive)  # situations with an empathy response (domain.yml)

    async def ask(self, conversation: Conversation, trigger: str) -> list[OutboundMessage]:
        """The CSAT question, if this is a moment to ask it; else nothing."""
        typed = len(await self.repository.typed_messages(conversation.id))
        if typed < MIN_MESSAGES:
            return []
        if typed < SENSITIVE_MIN_MESSAGES and self.sensitive & set(await self.situations.of(conversation.id)):
            return []
        if not await self.repository.ask(conversation.id, conversation.channel, trigger):
            return []  # asked before in this conversation: never twice
        return [score_question(conversation.channel)]

    def offer_rating(self, inbound: StoredMessage) -> OutboundMessage:
        return helpful_question(inbound.id)

    async def answer(
        self, conversation: Conversation, inbound: StoredMessage
    ) -> Optional[list[OutboundMessage]]:
        """The reply to a satisfaction answer; None when the message is for the dialogue."""
        given = parse(inbound.payload)
        if given is not None:
            return await self._button(conversation, given)
        state = await self.repository.state(conversation.id)
        status = state["status"] if state else None
        text = (inbound.text or "").strip()
        if status == "asked" and text.isdigit() and 1 <= int(text) <= 5:  # typed rather than pressed
            return await self._score(conversation, int(text))
        if status == "comment_asked" and text and inbound.payload is None:
            await self.repository.update(
                conversation.id, ("comment_asked",), status="answered", comment=text[:MAX_COMMENT]
            )
            return [say("csat_thanks")]
        if status in ("asked", "reason_asked", "comment_asked"):  # they moved on: the question is skipped
            final = "skipped" if status == "asked" else "answered"
            await self.repository.update(conversation.id, (status,), status=final)
        return None

    async def _button(self, conversation: Conversation, given: Answer) -> list[OutboundMessage]:
        if given.kind == "helpful":
            return await self._rated(conversation, given)
        if given.kind == "csat" and given.value == "skip":
            await self.repository.update(conversation.id, ("asked",), status="skipped")
            return [say("csat_skipped")]
        if given.kind == "csat" and given.value.isdigit() and 1 <= int(given.value) <= 5:
            return await self._score(conversation, int(given.value))
        if given.kind == "csat_reason" and given.value in REASONS:
            if given.value == "other":
                moved = await self.repository.update(
                    conversation.id, ("reason_asked",), status="comment_asked"
                )
                return [say("csat_comment_question")] if moved else [say("csat_already")]
            moved = await self.repository.update(
                conversation.id, ("reason_asked",), status="answered", reason=given.value
            )
            return [say("csat_thanks")] if moved else [say("csat_already")]
        return [say("csat_already")]

    async def _score(self, conversation: Conversation, score: int) -> list[OutboundMessage]:
        status = "reason_asked" if score <= REASON_UP_TO else "answered"
        if not await self.repository.score(conversation.id, score, status):
            return [say("csat_already")]
        if score <= NEGATIVE_UP_TO:
            typed = await self.repository.typed_messages(conversation.id)
            if typed:  # the person's first request, for an agent to label
                message_id, text = typed[0]
                await self.review.enqueue(
                    conversation.id, conversation.channel, message_id, "csat_negative", text
                )
        return [reason_question()] if status == "reason_asked" else [say("csat_thanks")]

    async def _rated(self, conversation: Conversation, given: Answer) -> list[OutboundMessage]:
        if given.message_id is None or given.value not in ("yes", "no"):
            return [say("csat_already")]
        if not await self.repository.rate(conversation.id, given.message_id, given.value == "yes"):
            return [say("csat_already")]
        # Rating an answer ends that exchange: the moment for the satisfaction question.
        return [say("helpful_thanks"), *await self.ask(conversation, "search")]
