"""The widget's live connection: `/ws/conversations/{id}`.

Client → server (JSON text frames of 8 KB at most):
    {"type": "resume", "after": <last message id seen, 0 at first>}
    {"type": "message", "text": "...", "client_id": "<uuid>"}
    {"type": "payload", "payload": "<button payload>", "client_id": "<uuid>"}
Server → client:
    {"type": "message", "message": {"id", "role", "text", "buttons", "created_at"[, "payload", "client_id"]}}
    {"type": "typing", "active": true|false}
    {"type": "error", "message": "<French text>"}   (the connection stays open)
An unknown conversation closes the socket with code 4404; a frame over MAX_WS_FRAME_BYTES (64 KB by
default) closes it with code 1009 (message too big), and the conversation stays as it was.

Messages are sent from the transcript, in id order, and each at most once per socket: whatever
announces new messages (this socket's own answer, the broker's `conversation:<id>` events from
the handoff service, `WebChannel.deliver`, another socket of the same conversation) only makes
the socket read the transcript after what it has already sent. A `client_id` is claimed in SQL
before its message is stored, so a frame re-sent after a reconnect is processed once, whichever
gateway instance receives it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Optional, Union

import sqlalchemy as sa
from fastapi import APIRouter, WebSocket
from sqlalchemy.exc import IntegrityError
from starlette.websockets import WebSocketState

from assistant.conversations.models import Conversation
from assistant.gateway.deps import CONVERSATION_ID
from assistant.gateway.schemas import MAX_PAYLOAD_CHARS, MAX_TEXT_CHARS, clean_text
from assistant.infra.broker import conversation_topic
from assistant.storage import Database, StorageUnavailable
from assistant.storage.tables import messages, web_client_messages
from channels.inbound import over_limit

if TYPE_CHECKING:
    from assistant.gateway.state import AppState

log = logging.getLogger(__name__)
router = APIRouter()

MAX_FRAME_BYTES = 8 * 1024
CLOSE_UNKNOWN_CONVERSATION = 4404
CLOSE_TOO_BIG = 1009
CLOSE_TRY_AGAIN_LATER = 1013  # storage down: the widget reconnects and re-sends its outbox
STORAGE_DOWN = (
    "Le service est momentanément indisponible. Votre message est gardé et sera renvoyé automatiquement."
)
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
STALE_CLAIM = timedelta(seconds=120)  # a claim with no stored message after this was lost
LOOKBACK = 50  # ids a socket looks back, for rows committed out of id order
REPLAY_LIMIT = 500
CLIENT_ID_SEARCH = 200

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


def _frame_size(received: Mapping[str, Any]) -> int:
    text, data = received.get("text"), received.get("bytes")
    if isinstance(text, str):
        return len(text.encode("utf-8", "replace"))
    return len(data) if isinstance(data, bytes) else 0


def message_frame(row: Mapping[str, Any]) -> dict[str, Any]:
    created: datetime = row["created_at"]
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    message: dict[str, Any] = {
        "id": row["id"],
        "role": row["role"],
        "text": row["text"],
        "buttons": [
            {"title": str(b["title"]), "payload": str(b["payload"])}
            for b in row["buttons"] or ()
            if isinstance(b, dict) and "title" in b and "payload" in b
        ],
        "created_at": created.isoformat(),
    }
    if row["role"] == "user":
        custom = row["custom"] if isinstance(row["custom"], dict) else {}
        message["payload"] = row["payload"]
        message["client_id"] = custom.get("client_id")
    return {"type": "message", "message": message}


async def messages_after(db: Database, conversation_id: str, after: int) -> list[dict[str, Any]]:
    query = (
        sa.select(
            messages.c.id,
            messages.c.role,
            messages.c.text,
            messages.c.payload,
            messages.c.buttons,
            messages.c.custom,
            messages.c.created_at,
        )
        .where(messages.c.conversation_id == conversation_id, messages.c.id > after)
        .order_by(messages.c.id)
        .limit(REPLAY_LIMIT)
    )
    async with db.connect() as conn:
        rows = (await conn.execute(query)).mappings().all()
    return [dict(r) for r in rows]


async def latest_id(db: Database, conversation_id: str) -> int:
    query = sa.select(sa.func.max(messages.c.id)).where(messages.c.conversation_id == conversation_id)
    async with db.connect() as conn:
        value = (await conn.execute(query)).scalar()
    return int(value or 0)


async def is_stored(db: Database, conversation_id: str, client_id: str) -> bool:
    """Whether a recent message of the person carries this client_id."""
    query = (
        sa.select(messages.c.custom)
        .where(messages.c.conversation_id == conversation_id, messages.c.role == "user")
        .order_by(messages.c.id.desc())
        .limit(CLIENT_ID_SEARCH)
    )
    async with db.connect() as conn:
        rows = (await conn.execute(query)).all()
    return any(isinstance(c, dict) and c.get("client_id") == client_id for (c,) in rows)


async def claim(db: Database, conversation_id: str, client_id: str) -> bool:
    """True once per (conversation, client_id): the caller then stores and answers the message.

    A claim whose message never got stored (its process died) is taken over after STALE_CLAIM.
    """
    now = datetime.now(timezone.utc)
    try:
        async with db.connect() as conn:
            await conn.execute(
                web_client_messages.insert().values(
                    conversation_id=conversation_id, client_id=client_id, claimed_at=now
                )
            )
        return True
    except IntegrityError:
        pass
    if await is_stored(db, conversation_id, client_id):
        return False
    table = web_client_messages.c
    async with db.connect() as conn:
        result = await conn.execute(
            web_client_messages.update()
            .where(
                table.conversation_id == conversation_id,
                table.client_id == client_id,
                table.claimed_at < now - STALE_CLAIM,
            )
            .values(claimed_at=now)
        )
    return bool(result.rowcount == 1)


async def release(db: Database, conversation_id: str, client_id: str) -> None:
    """Forget a claim whose message could not be stored, so that the client may send it again."""
    table = web_client_messages.c
    with contextlib.suppress(Exception):
        async with db.connect() as conn:
            await conn.execute(
                web_client_messages.delete().where(
                    table.conversation_id == conversation_id, table.client_id == client_id
                )
            )


class SocketSession:
    """One open widget connection."""

    def __init__(self, websocket: WebSocket, state: AppState, conversation: Conversation) -> None:
        self.websocket = websocket
        self.state = state
        self.conversation = conversation
        self.db: Database = state.database
        self.topic = conversation_topic(conversation.id)
        self.send_lock = asyncio.Lock()
        self.floor = 0  # the client has every message up to this id
        self.high = 0  # the highest id sent on this socket
        self.sent: set[int] = set()
        self.closed = False

    async def send(self, frame: dict[str, Any]) -> None:
        if self.closed or self.websocket.client_state != WebSocketState.CONNECTED:
            self.closed = True
            return
        try:
            await self.websocket.send_text(json.dumps(frame, ensure_ascii=False))
        except Exception:  # the peer went away: the messages stay in the transcript
            self.closed = True

    async def error(self, text: str) -> None:
        async with self.send_lock:
            await self.send({"type": "error", "message": text})

    async def sync(self) -> None:
        """Send, in id order, the stored messages this socket has not sent yet."""
        async with self.send_lock:
            start = max(self.floor, self.high - LOOKBACK)
            for row in await messages_after(self.db, self.conversation.id, start):
                if row["id"] in self.sent:
                    continue
                self.sent.add(row["id"])
                self.high = max(self.high, row["id"])
                await self.send(message_frame(row))
            self.sent = {i for i in self.sent if i > self.high - LOOKBACK}

    async def run(self) -> None:
        self.floor = self.high = await latest_id(self.db, self.conversation.id)
        async with self.state.broker.subscribe(self.topic) as events:
            listener = asyncio.create_task(self._listen(events))
            try:
                await self._read()
            finally:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await listener

    async def _listen(self, events: AsyncIterator[dict[str, Any]]) -> None:
        async for _event in events:  # any event of the conversation may mean new messages
            if self.closed:
                return
            await self.sync()

    async def _read(self) -> None:
        while not self.closed:
            received = await self.websocket.receive()
            if received["type"] == "websocket.disconnect":
                self.closed = True
                return
            raw = received.get("text")
            if _frame_size(received) > self.state.settings.max_ws_frame_bytes:
                log.warning("oversized widget frame", extra={"conversation_id": self.conversation.id})
                self.closed = True
                with contextlib.suppress(Exception):
                    await self.websocket.close(code=CLOSE_TOO_BIG, reason="Message trop volumineux")
                return
            try:
                frame = parse_frame(raw if raw is not None else received.get("bytes"))
            except FrameError as exc:
                await self.error(str(exc))
                continue
            if isinstance(frame, Resume):
                async with self.send_lock:
                    self.floor = self.high = frame.after
                    self.sent = set()
                await self.sync()
            else:
                await self._inbound(frame)

    async def _inbound(self, frame: Inbound) -> None:
        conversation = self.conversation
        if not await claim(self.db, conversation.id, frame.client_id):
            await self.sync()  # already received: the client gets its echo and the answers
            return
        custom = {"client_id": frame.client_id}
        service = self.state.conversations
        current = await service.repository.get(conversation.id) or conversation
        try:
            refusal = await over_limit(
                self.state.channel_runtime.limiter,
                service,
                current,
                f"web:{conversation.id}",
                frame.text,
                frame.payload,
                custom,
            )
            if refusal is None:
                thinking = current.mode != "handoff"
                if thinking:
                    async with self.send_lock:
                        await self.send({"type": "typing", "active": True})
                try:
                    await service.handle_inbound(current, frame.text, frame.payload, custom)
                    await self.sync()  # the echo of the message, then the answers
                finally:
                    if thinking:
                        async with self.send_lock:
                            await self.send({"type": "typing", "active": False})
        except Exception:
            log.exception("widget message failed", extra={"conversation_id": conversation.id})
            if not await is_stored(self.db, conversation.id, frame.client_id):
                await release(self.db, conversation.id, frame.client_id)
            await self.error("Votre message n'a pas pu être traité. Réessayez dans un instant.")
            return
        await self.sync()
        await self.state.broker.publish(self.topic, {"event": "stored"})  # the conversation's other sockets


@router.websocket("/ws/conversations/{conversation_id}")
async def conversation_socket(websocket: WebSocket, conversation_id: str) -> None:
    state: AppState = websocket.app.state.services
    await websocket.accept()
    conversation = None
    try:
        if CONVERSATION_ID.match(conversation_id):
            conversation = await state.conversations.repository.get(conversation_id)
        if conversation is None:
            await websocket.close(code=CLOSE_UNKNOWN_CONVERSATION, reason="Conversation introuvable")
            return
        await SocketSession(websocket, state, conversation).run()
    except StorageUnavailable as exc:  # nothing was stored: an error frame, then "try again later"
        log.warning("widget socket closed, storage unavailable: %s", exc)
        if websocket.client_state == WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await websocket.send_text(
                    json.dumps({"type": "error", "message": STORAGE_DOWN}, ensure_ascii=False)
                )
                await websocket.close(code=CLOSE_TRY_AGAIN_LATER)
        return
    if websocket.client_state == WebSocketState.CONNECTED:
        with contextlib.suppress(Exception):
            await websocket.close()
