"""What a queue card shows of each conversation: the person's last message, as they saw it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from assistant.conversations.repository import ConversationRepository
from assistant.storage.tables import messages

PREVIEW_CHARS = 140


def shorten(text: str, limit: int = PREVIEW_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def last_messages(
    repository: ConversationRepository, conversation_ids: Iterable[str]
) -> dict[str, Any]:
    """Conversation id → {"text", "created_at"} of the person's latest message (a button: its title)."""
    ids = sorted(set(conversation_ids))
    if not ids:
        return {}
    latest = (
        sa.select(sa.func.max(messages.c.id).label("id"))
        .where(messages.c.conversation_id.in_(ids), messages.c.role == "user")
        .group_by(messages.c.conversation_id)
        .subquery()
    )
    query = sa.select(
        messages.c.id, messages.c.conversation_id, messages.c.text, messages.c.payload, messages.c.created_at
    ).where(messages.c.id.in_(sa.select(latest.c.id)))
    async with repository.db.connect() as conn:
        rows = (await conn.execute(query)).mappings().all()
    found: dict[str, Any] = {}
    for row in rows:
        text = row["text"] or ""
        if row["payload"]:
            buttons = await repository.last_buttons(row["conversation_id"])
            title = next((b.title for b in buttons if b.payload == row["payload"]), None)
            text = title or text
        if not text:
            continue
        created = row["created_at"]
        found[row["conversation_id"]] = {
            "text": shorten(text),
            "created_at": created.isoformat() if created is not None else None,
        }
    return found


async def with_previews(
    repository: ConversationRepository, handoffs: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each handoff's dict with `last_message` (None when the person wrote nothing)."""
    previews = await last_messages(repository, (h["conversation_id"] for h in handoffs))
    return [{**h, "last_message": previews.get(h["conversation_id"])} for h in handoffs]
