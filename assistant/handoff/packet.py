"""The handoff packet: everything the bot knows, so that nobody asks the same question twice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant import texts
from assistant.conversations.models import Conversation, StoredMessage
from assistant.privacy.masking import mask_tree

REASONS = ("explicit_request", "misunderstood", "frustration", "sensitive", "followup_help")
PACKET_FIELDS_KEPT = frozenset({"conversation_id", "channel", "reason", "created_at", "event_date", "id"})


def agent_summary(context: dict[str, Any], reason: str) -> str:
    """Two to four plain French lines for the agent."""
    situations = ", ".join(s.get("title") or s.get("id") for s in context.get("situations") or [])
    lines = [texts.text(f"handoff_reason_{reason}")]
    lines.append(
        texts.text("handoff_summary_situations", situations=situations)
        if situations
        else texts.text("handoff_summary_no_situation")
    )
    answers = "; ".join(a["answer"] for a in context.get("answers") or [] if a.get("answer"))
    if answers:
        lines.append(texts.text("handoff_summary_answers", answers=answers))
    plan = context.get("plan") or []
    if plan or context.get("open_questions"):
        lines.append(
            texts.text("handoff_summary_plan", count=len(plan), open=len(context.get("open_questions") or []))
        )
    return "\n".join(lines[:4])


def build_packet(
    conversation: Conversation,
    context: dict[str, Any],
    transcript: Sequence[StoredMessage],
    reason: str,
    priority: int,
) -> dict[str, Any]:
    packet = {
        "conversation_id": conversation.id,
        "channel": conversation.channel,
        "reason": reason,
        "priority": priority,
        "situations": context.get("situations") or [],
        "answers": context.get("answers") or [],
        "event_date": context.get("event_date"),
        "plan": context.get("plan") or [],
        "open_questions": context.get("open_questions") or [],
        "summary": agent_summary(context, reason),
        "transcript": [
            {"role": m.role, "text": m.text, "created_at": m.created_at.isoformat()}
            for m in transcript
            if m.text
        ],
    }
    # Free text (answers, transcript, summary) masked like every record (docs/security.md); the
    # contact details a person gives with consent are added afterwards, as written.
    masked: dict[str, Any] = mask_tree(packet, keep=PACKET_FIELDS_KEPT)
    return masked
