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
