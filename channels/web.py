"""The web channel (API and widget): plain text with clickable links, 1,000 characters a message."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.conversations.models import Conversation, StoredMessage
from channels.rendering import Renderer

WEB_MAX_CHARS = 1000


def web_renderer() -> Renderer:
    return Renderer("web", WEB_MAX_CHARS)


class WebChannel:
    """The web API answers in the HTTP response; later messages are read from the transcript."""

    name = "web"

    def __init__(self) -> None:
        self.renderer = web_renderer()

    async def deliver(self, conversation: Conversation, messages: Sequence[StoredMessage]) -> None:
        """Nothing to push: the widget polls or listens; the messages are already stored."""
