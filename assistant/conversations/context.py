"""What an agent reads of a conversation's dialogue: the state the actions keep in Rasa's slots."""

from __future__ import annotations

from typing import Any

from assistant.conversations.models import Conversation
from assistant.conversations.rasa_client import RasaClient


async def read_context(rasa: RasaClient, conversation: Conversation) -> dict[str, Any]:
    """Situations, answers (with their choice ids), skipped questions, event date, plan, open questions."""
    slots = (await rasa.tracker(conversation.id)).get("slots") or {}
    raw_summary = slots.get("summary")
    summary: dict[str, Any] = raw_summary if isinstance(raw_summary, dict) else {}
    situations = summary.get("situations") or [
        {"id": s, "title": None} for s in slots.get("situations") or []
    ]
    return {
        "conversation_id": conversation.id,
        "channel": conversation.channel,
        "situation": situations[0] if situations else None,
        "situations": situations,
        "answers": summary.get("answers") or [],
        "skipped_questions": summary.get("skipped_questions") or [],
        "event_date": slots.get("event_date"),
        "plan": slots.get("plan") or [],
        "related": slots.get("related") or [],
        "open_questions": summary.get("open_questions") or [],
    }
