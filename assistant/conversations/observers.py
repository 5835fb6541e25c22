"""What the conversation service tells about each turn, to whoever learns from it (optional).

The gateway passes `assistant.satisfaction.turns.TurnInsights`: satisfaction questions and answers,
the situations of each conversation, the review queue. Tools and tests pass nothing.
"""

from __future__ import annotations

from typing import Any, Optional, Protocol

from assistant.conversations.models import Conversation, OutboundMessage, StoredMessage


class TurnObserver(Protocol):
    async def intercept(
        self, conversation: Conversation, inbound: StoredMessage
    ) -> Optional[list[OutboundMessage]]:
        """The answer to a message the gateway answers itself (never sent to Rasa), or None."""

    async def after_turn(
        self, conversation: Conversation, inbound: Optional[StoredMessage], replies: list[OutboundMessage]
    ) -> list[OutboundMessage]:
        """The replies to store, from Rasa's (signals removed, questions added), before rendering."""

    async def handoff_opened(self, conversation: Conversation, reason: str, context: dict[str, Any]) -> None:
        """A handoff was opened with this reason and dialogue context."""


class Observers:
    """Several observers as one: the first that answers a message answers it; every one sees
    the replies in turn, and every opened handoff."""

    def __init__(self, *observers: TurnObserver) -> None:
        self.observers = observers

    async def intercept(
        self, conversation: Conversation, inbound: StoredMessage
    ) -> Optional[list[OutboundMessage]]:
        for observer in self.observers:
            answer = await observer.intercept(conversation, inbound)
            if answer is not None:
                return answer
        return None

    async def after_turn(
        self, conversation: Conversation, inbound: Optional[StoredMessage], replies: list[OutboundMessage]
    ) -> list[OutboundMessage]:
        for observer in self.observers:
            replies = await observer.after_turn(conversation, inbound, replies)
        return replies

    async def handoff_opened(self, conversation: Conversation, reason: str, context: dict[str, Any]) -> None:
        for observer in self.observers:
            await observer.handoff_opened(conversation, reason, context)
