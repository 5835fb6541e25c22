"""The widget's live connection: `/ws/conversations/{id}` (session in channels/web_session.py).

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

import contextlib
import json
import logging

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketState

from assistant.conversations.inputs import CONVERSATION_ID
from assistant.gateway.state import AppState
from assistant.storage import StorageUnavailable
from channels.web_session import SocketSession

log = logging.getLogger(__name__)
router = APIRouter()

CLOSE_UNKNOWN_CONVERSATION = 4404
CLOSE_TRY_AGAIN_LATER = 1013  # storage down: the widget reconnects and re-sends its outbox
STORAGE_DOWN = (
    "Le service est momentanément indisponible. Votre message est gardé et sera renvoyé automatiquement."
)


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
        session = SocketSession(
            websocket,
            conversation,
            state.conversations,
            state.broker,
            state.channel_runtime.limiter,
            state.web_clients,
            state.settings.max_ws_frame_bytes,
        )
        await session.run()
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
