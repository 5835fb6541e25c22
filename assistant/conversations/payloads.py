"""Which commands a person may send: a text or a button payload that starts with "/" is an intent
for Rasa (`/restart`, `/session_start`, `/back`...), so it is accepted only when it is a button
the bot offered in this conversation, or one of the public payloads below (docs/security.md).

Anything else starting with "/" is refused: the REST API answers 422, the other channels store
the message as `refused` and answer with a French notice. Text that does not start with "/" is
never a command (Rasa reads it through the NLU pipeline)."""

from __future__ import annotations

import re
from typing import Any, Optional

import sqlalchemy as sa

from assistant import texts
from assistant.conversations.models import OutboundMessage, StoredMessage
from assistant.conversations.repository import ConversationRepository
from assistant.storage import Database
from assistant.storage.tables import messages

COMMAND_PREFIX = "/"  # Rasa's INTENT_MESSAGE_PREFIX
# Public payloads: the widget's "Parler à un conseiller" button, shown before any bot message.
PUBLIC_PAYLOADS = frozenset({"/ask_human"})
# The questionnaire's answer buttons, in exactly this form: the action checks the choice against
# the question it asked (a person may press an answer the widget still shows, or send one while
# the bot is down, before the bot could offer it again).
ANSWER_PAYLOAD = re.compile(r'^/answer\{"choice_id": ?"[A-Za-z0-9_.-]{1,64}"\}$')
OFFERED_LOOKBACK = 200  # outbound messages whose buttons count as offered
REFUSED = "refused"  # status of a refused inbound message


def command_of(text: Optional[str], payload: Optional[str]) -> Optional[str]:
    """The command Rasa would read from this message, if it is one."""
    message = payload if payload is not None else text
    if message is None or not message.lstrip().startswith(COMMAND_PREFIX):
        return None
    return message.strip()


def _payloads(raw: object) -> set[str]:
    if not isinstance(raw, list):
        return set()
    return {str(b["payload"]).strip() for b in raw if isinstance(b, dict) and "payload" in b}


class PayloadGuard:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def offered(self, conversation_id: str) -> set[str]:
        """Every button payload of the conversation's recent bot, agent and system messages."""
        query = (
            sa.select(messages.c.buttons)
            .where(
                messages.c.conversation_id == conversation_id,
                messages.c.role.in_(("bot", "agent", "system")),
            )
            .order_by(messages.c.id.desc())
            .limit(OFFERED_LOOKBACK)
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).all()
        offered: set[str] = set()
        for (raw,) in rows:
            offered |= _payloads(raw)
        return offered

    async def allowed(self, conversation_id: str, text: Optional[str], payload: Optional[str]) -> bool:
        command = command_of(text, payload)
        if command is None or command in PUBLIC_PAYLOADS or ANSWER_PAYLOAD.match(command):
            return True
        return command in await self.offered(conversation_id)

    @staticmethod
    async def refuse(
        repository: ConversationRepository,
        conversation_id: str,
        text: Optional[str],
        payload: Optional[str],
        custom: Optional[dict[str, Any]] = None,
    ) -> list[StoredMessage]:
        """Store the refused message (never sent to Rasa) and the notice that says so."""
        await repository.add_inbound(conversation_id, text, payload, status=REFUSED, custom=custom)
        return await repository.add_outbound(
            conversation_id, "system", [OutboundMessage(text=texts.text("payload_refused"))]
        )
