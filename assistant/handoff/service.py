"""The agents' side of a handoff: open, claim, reply, note, transfer, close."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Optional

from assistant import texts
from assistant.auth.repository import Agent
from assistant.conversations.models import Conversation, OutboundMessage, StoredMessage
from assistant.conversations.ports import ChannelLookup
from assistant.conversations.repository import ConversationRepository
from assistant.handoff.hours import OpeningHours
from assistant.handoff.packet import REASONS, build_packet
from assistant.handoff.repository import Handoff, HandoffRepository
from assistant.infra.broker import QUEUE_TOPIC, Broker, conversation_topic
from assistant.privacy.masking import mask

LEAVE_CONTACT = "/leave_contact"
NO_CONTACT = "/no_contact"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:(?:\+|00)33[ .-]?[1-9]|0[1-9])(?:[ .-]?\d{2}){4}")


def contact_in(text: str) -> Optional[str]:
    """The e-mail address or French phone number in a message, if there is one."""
    match = _EMAIL.search(text) or _PHONE.search(text)
    return match.group(0) if match else None


def contact_buttons() -> list[dict[str, str]]:
    return [
        {"title": texts.text("button_leave_contact"), "payload": LEAVE_CONTACT},
        {"title": texts.text("button_no_contact"), "payload": NO_CONTACT},
    ]


OUTCOMES = ("resolved", "redirected", "person_left", "abusive", "other")


def presence_notice(event: str, agent: Agent, outcome: Optional[str] = None) -> OutboundMessage:
    """What the person is told when an agent joins, hands back ("left") or closes ("closed");
    each channel renders it (channels/templates/<channel>/agent_presence.j2)."""
    return OutboundMessage(
        custom={"type": "agent_presence", "event": event, "agent": agent.display_name, "outcome": outcome}
    )


class HandoffError(Exception):
    """An agent action that does not fit the handoff's state (HTTP 409)."""


@dataclass(frozen=True)
class Opened:
    handoff: Handoff
    position: int
    open_now: bool
    opens_at: Optional[datetime]


class HandoffService:
    def __init__(
        self,
        repository: HandoffRepository,
        conversations: ConversationRepository,
        broker: Broker,
        hours: OpeningHours,
        channels: ChannelLookup,
    ) -> None:
        self.repository = repository
        self.conversations = conversations
        self.broker = broker
        self.hours = hours
        self.channels = channels

    async def open(
        self, conversation: Conversation, reason: str, priority: int, context: dict[str, Any]
    ) -> Opened:
        """Queue the conversation for an agent (once: an open handoff is reused)."""
        reason = reason if reason in REASONS else "explicit_request"
        handoff = await self.repository.open_for(conversation.id)
        if handoff is None:
            transcript = await self.conversations.transcript(conversation.id)
            packet = build_packet(conversation, context, transcript, reason, priority)
            handoff = await self.repository.create(conversation.id, reason, priority, packet)
            await self.broker.publish(QUEUE_TOPIC, {"event": "created", "handoff": handoff.to_dict()})
        now = datetime.now(timezone.utc)
        open_now = self.hours.is_open(now)
        return Opened(
            handoff=handoff,
            position=await self.repository.position(handoff),
            open_now=open_now,
            opens_at=None if open_now else self.hours.next_opening(now),
        )

    async def person_wrote(self, conversation: Conversation, message: StoredMessage) -> list[OutboundMessage]:
        """Pass the message on to the agents; answer it only for the contact-details exchange."""
        await self.broker.publish(
            conversation_topic(conversation.id), {"event": "message", "message": message.to_dict()}
        )
        handoff = await self.repository.open_for(conversation.id)
        if handoff is None or handoff.status != "waiting":
            return []
        if message.payload == LEAVE_CONTACT:
            await self.repository.update_packet(handoff.id, {"awaiting_contact": True})
            return [OutboundMessage(text=texts.text("contact_ask"))]
        if message.payload == NO_CONTACT:
            await self.repository.update_packet(handoff.id, {"awaiting_contact": False})
            return [OutboundMessage(text=texts.text("contact_declined"))]
        if handoff.packet.get("awaiting_contact") and message.text:
            contact = contact_in(message.text)
            if contact is None:
                return [OutboundMessage(text=texts.text("contact_invalid"))]
            # given after an explicit request that says what it is for: that is the consent
            await self.repository.update_packet(
                handoff.id, {"awaiting_contact": False, "contact": contact, "contact_consent": True}
            )
            await self.broker.publish(QUEUE_TOPIC, {"event": "updated", "handoff": handoff.to_dict()})
            return [OutboundMessage(text=texts.text("contact_saved", contact=contact))]
        return []

    async def get(self, handoff_id: str) -> Handoff:
        handoff = await self.repository.get(handoff_id)
        if handoff is None:
            raise LookupError(handoff_id)
        return handoff

    async def claim(self, handoff_id: str, agent: Agent) -> Handoff:
        await self.get(handoff_id)
        if not await self.repository.claim(handoff_id, agent.id):
            raise HandoffError("Cette conversation a déjà été prise par un autre conseiller.")
        handoff = await self.get(handoff_id)
        await self.broker.publish(QUEUE_TOPIC, {"event": "claimed", "handoff": handoff.to_dict()})
        await self.notify(handoff.conversation_id, presence_notice("joined", agent))
        return handoff

    async def notify(
        self, conversation_id: str, notice: OutboundMessage, deliver: bool = True
    ) -> list[StoredMessage]:
        """Store a notice for the person (rendered for their channel) and show it to the agents;
        sent on the person's channel unless `deliver` is False (the caller sends it with more)."""
        conversation = await self.conversations.get(conversation_id)
        if conversation is None:
            return []
        channel = self.channels.get(conversation.channel)
        stored = await self.conversations.add_outbound(
            conversation.id, "system", channel.renderer.render([notice])
        )
        if deliver:
            await channel.deliver(conversation, stored)
        for message in stored:
            await self.broker.publish(
                conversation_topic(conversation.id), {"event": "message", "message": message.to_dict()}
            )
        return stored

    async def _owned(self, handoff_id: str, agent: Agent) -> Handoff:
        handoff = await self.get(handoff_id)
        if handoff.status != "active" or handoff.agent_id != agent.id:
            raise HandoffError("Prenez d'abord cette conversation en charge.")
        return handoff

    async def reply(self, handoff_id: str, agent: Agent, text: str) -> StoredMessage:
        """Store the agent's message, then deliver it on the person's own channel."""
        handoff = await self._owned(handoff_id, agent)
        conversation = await self.conversations.get(handoff.conversation_id)
        assert conversation is not None
        outbound = OutboundMessage(text=text, custom={"agent": agent.display_name})
        (stored,) = await self.conversations.add_outbound(conversation.id, "agent", [outbound])
        await self.channels.get(conversation.channel).deliver(conversation, [stored])
        await self.broker.publish(
            conversation_topic(conversation.id), {"event": "message", "message": stored.to_dict()}
        )
        return stored

    async def note(self, handoff_id: str, agent: Agent, text: str) -> dict[str, Any]:
        await self.get(handoff_id)
        return await self.repository.add_note(handoff_id, agent.id, mask(text)[0])  # masked like every record

    async def transfer(self, handoff_id: str, agent: Agent, to_agent: Agent) -> Handoff:
        await self._owned(handoff_id, agent)
        if not await self.repository.transfer(handoff_id, agent.id, to_agent.id):
            raise HandoffError("Le transfert n'a pas pu être fait.")
        handoff = await self.get(handoff_id)
        await self.broker.publish(QUEUE_TOPIC, {"event": "transferred", "handoff": handoff.to_dict()})
        await self.notify(handoff.conversation_id, presence_notice("joined", to_agent))
        return handoff

    async def close(
        self, handoff_id: str, agent: Agent, outcome: str, back_to_bot: bool = False
    ) -> tuple[Handoff, list[StoredMessage]]:
        """Close the handoff; the notice for the person (the agent left, or closed with this
        outcome) is stored, for the caller to send with the bot's own resumption."""
        await self._owned(handoff_id, agent)
        if not await self.repository.close(handoff_id, agent.id, outcome):
            raise HandoffError("Cette conversation n'est plus en cours.")
        handoff = await self.get(handoff_id)
        await self.broker.publish(QUEUE_TOPIC, {"event": "closed", "handoff": handoff.to_dict()})
        notice = presence_notice("left", agent) if back_to_bot else presence_notice("closed", agent, outcome)
        return handoff, await self.notify(handoff.conversation_id, notice, deliver=False)
