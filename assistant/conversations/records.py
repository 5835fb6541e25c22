"""What a bot reply asks the gateway to keep: a plan's printable export, a complaint's report."""

from __future__ import annotations

from dataclasses import replace

from assistant.conversations.models import Conversation, OutboundMessage
from assistant.feedback.repository import FeedbackRepository
from assistant.plans.repository import PlanExportRepository


async def record(
    reply: OutboundMessage,
    conversation: Conversation,
    exports: PlanExportRepository,
    feedback: FeedbackRepository,
    public_url: str,
) -> OutboundMessage:
    """A plan gets its export link; a report is stored and only its reference stays in the
    transcript, never its free text. Other replies are returned as they are."""
    custom = reply.custom or {}
    if custom.get("type") == "plan":
        token = await exports.save(conversation.id, custom)
        return replace(reply, custom={**custom, "export_url": f"{public_url}/plans/{token}"})
    if custom.get("type") == "feedback":
        reference, masked = await feedback.add(
            conversation.id, conversation.channel, dict(custom.get("report") or {})
        )
        return replace(reply, custom={"type": "feedback", "reference": reference, "masked": masked})
    return reply
