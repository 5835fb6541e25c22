"""The widget's frames: what a client may send, checked; what the server sends for a message."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Optional, Union

from assistant.conversations.inputs import MAX_PAYLOAD_CHARS, MAX_TEXT_CHARS, clean_text
from assistant.conversations.models import StoredMessage

MAX_FRAME_BYTES = 8 * 1024
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")

FIELDS = {"resume": {"type", "after"}, "message": {"type", "text", "client_id"}}
FIELDS["payload"] = {"type", "payload", "client_id"}


class FrameError(ValueError):
    """A frame the server refuses; the text is shown to the person."""


@dataclass(frozen=True)
class Resume:
    after: int


@dataclass(frozen=True)
class Inbound:
    client_id: str
    text: Optional[str] = None
    payload: Optional[str] = None


Frame = Union[Resume, Inbound]


def parse_frame(raw: Union[str, bytes, None]) -> Frame:
    """Check one client frame: size, JSON object, known type and fields, text rules of the API."""
    if not isinstance(raw, str):
        raise FrameError("Envoyez vos messages sous forme de texte JSON.")
    if len(raw.encode("utf-8")) > MAX_FRAME_BYTES:
        raise FrameError("Le message est trop volumineux (8 Ko au plus).")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, or nested too deep
        raise FrameError("Le message reçu n'est pas du JSON valide.") from None
    if not isinstance(data, dict):
        raise FrameError("Le message reçu doit être un objet JSON.")
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in FIELDS:
        raise FrameError("Type de message inconnu.")
    unknown = sorted(set(data) - FIELDS[kind])
    if unknown:
        raise FrameError(f"Champ inconnu : {unknown[0][:40]}.")
    if kind == "resume":
        after = data.get("after", 0)
        if after is None:
            after = 0
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            raise FrameError("« after » doit être un nombre entier positif.")
        return Resume(after)
    client_id = data.get("client_id")
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise FrameError("L'identifiant du message (client_id) est invalide.")
    if kind == "message":
        text = data.get("text")
        if not isinstance(text, str):
            raise FrameError("Le texte du message est manquant.")
        text = clean_text(text)
        if not text:
            raise FrameError("Le message est vide.")
        if len(text) > MAX_TEXT_CHARS:
            raise FrameError(f"Le message dépasse {MAX_TEXT_CHARS} caractères.")
        return Inbound(client_id, text=text)
    payload = data.get("payload")
    payload = clean_text(payload) if isinstance(payload, str) else ""
    if not payload or len(payload) > MAX_PAYLOAD_CHARS:
        raise FrameError("La valeur du bouton est invalide.")
    return Inbound(client_id, payload=payload)


def message_frame(stored: StoredMessage) -> dict[str, Any]:
    message: dict[str, Any] = {
        "id": stored.id,
        "role": stored.role,
        "text": stored.text,
        "buttons": [{"title": b.title, "payload": b.payload} for b in stored.buttons],
        "created_at": stored.created_at.isoformat(),
    }
    if stored.role == "user":
        custom = stored.custom if isinstance(stored.custom, dict) else {}
        message["payload"] = stored.payload
        message["client_id"] = custom.get("client_id")
    return {"type": "message", "message": message}
