"""Plain data objects exchanged between the service, the routes and the channels."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Optional


class ConversationNotFound(LookupError):
    """No conversation has this id (never had, or erased)."""


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class OutboundMessage:
    """One bot (or agent) message, channel-neutral."""

    text: Optional[str] = None
    buttons: tuple[Button, ...] = ()
    custom: Optional[dict[str, Any]] = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text, "buttons": [asdict(b) for b in self.buttons]}
        if self.custom is not None:
            data["custom"] = self.custom
        return data


@dataclass(frozen=True)
class StoredMessage:
    id: int
    conversation_id: str
    role: str
    text: Optional[str]
    payload: Optional[str]
    buttons: tuple[Button, ...]
    custom: Optional[dict[str, Any]]
    status: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "role": self.role,
            "text": self.text,
            "payload": self.payload,
            "buttons": [asdict(b) for b in self.buttons],
            "status": self.status,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class Conversation:
    id: str
    channel: str
    mode: str
    created_at: datetime
    sender_ref: Optional[str] = None
    extra: dict[str, Any] = field(default_factory=dict)
