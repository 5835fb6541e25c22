"""What the services need from a channel, defined on the services' side.

The services (conversations, handoffs, linking) never import `channels`: the app factory hands
them a `ChannelLookup`, which the channels' registry satisfies structurally.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from assistant.conversations.models import Conversation, OutboundMessage, StoredMessage


class Renders(Protocol):
    """Turns channel-neutral dialogue output into what one channel can show."""

    def render(self, messages: Iterable[OutboundMessage]) -> list[OutboundMessage]: ...


class Delivery(Protocol):
    """One channel: how to render for it, and how to send it messages that are not a direct answer."""

    @property
    def name(self) -> str: ...

    @property
    def renderer(self) -> Renders: ...

    async def deliver(self, conversation: Conversation, messages: Sequence[StoredMessage]) -> None: ...


class ChannelLookup(Protocol):
    def get(self, name: str) -> Delivery: ...


class DeliveryFailed(Exception):
    """The provider did not take a message that the gateway sends first (try again later)."""


class RecipientRefused(DeliveryFailed):
    """The recipient must not be written to (a number that sent STOP): never try again."""


class Notifies(Protocol):
    """A channel that can write first (Telegram, SMS): sends now, or raises DeliveryFailed."""

    async def notify(self, conversation: Conversation, messages: Sequence[StoredMessage]) -> None: ...
