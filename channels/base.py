"""What every channel provides to the gateway: a renderer and a way to deliver later messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional, Protocol

from assistant.conversations.models import Conversation, StoredMessage
from assistant.conversations.service import ConversationService
from assistant.linking.service import LinkingService
from assistant.reminders.service import ReminderService
from channels.rendering import Renderer


class ChannelAdapter(Protocol):
    """A channel as the conversation service sees it.

    `renderer` turns dialogue output into what the channel can show. `deliver` sends messages
    that are not the direct answer to an inbound request (an agent's reply, a delayed answer):
    through the provider's API for Telegram and SMS, through the live connection for the web.
    """

    name: str
    renderer: Renderer

    async def deliver(self, conversation: Conversation, messages: Sequence[StoredMessage]) -> None: ...


@dataclass(frozen=True)
class InboundServices:
    """The services an inbound channel hands messages to, given with each webhook call.

    Passed per call rather than at construction: the services are built after the channels
    (they deliver through them), so neither needs the other to exist first.
    """

    conversations: ConversationService
    linking: LinkingService
    reminders: Optional[ReminderService] = None  # STOP by SMS also cancels the reminders
