"""The web channel (API and widget): plain text with clickable links, 1,000 characters a message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

from assistant.conversations.models import Conversation, StoredMessage
from assistant.infra.broker import Broker, conversation_topic
from channels.rendering import Renderer

WEB_MAX_CHARS = 1000


def web_renderer() -> Renderer:
    return Renderer("web", WEB_MAX_CHARS)


class WebChannel:
    """The web API answers in the HTTP response; the widget's sockets get later messages live."""

    name = "web"

    def __init__(self, broker: Optional[Broker] = None) -> None:
        self.renderer = web_renderer()
        self.broker = broker  # None in tools and tests: nothing listens

    async def deliver(self, conversation: Conversation, messages: Sequence[StoredMessage]) -> None:
        """Tell the conversation's open sockets (channels/web_socket.py) to read the new messages.

        The messages are already stored; sockets send them from the transcript, by id, so a
        message announced twice (here and by the handoff service) still reaches a socket once.
        """
        if self.broker is not None and messages:
            await self.broker.publish(
                conversation_topic(conversation.id),
                {"event": "delivered", "ids": [m.id for m in messages]},
            )
